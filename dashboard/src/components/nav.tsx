'use client';
// The bar across every page: product name and its areas, the current one highlighted.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/scores', label: 'Scores' },
  { href: '/service', label: 'Service' },
  { href: '/load-tests', label: 'Load tests' },
  { href: '/alerts', label: 'Alerts' },
] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <header className="nav">
      <Link href="/" className="nav-brand">
        CarSuggester <span>perf</span>
      </Link>
      <nav aria-label="Main">
        {LINKS.map((link) => {
          const current = link.href === '/' ? pathname === '/' : pathname.startsWith(link.href);
          return (
            <Link
              key={link.href}
              href={link.href}
              className={current ? 'nav-link current' : 'nav-link'}
              aria-current={current ? 'page' : undefined}
              data-testid={`nav-${link.href === '/' ? 'overview' : link.href.slice(1)}`}
            >
              {link.label}
            </Link>
          );
        })}
      </nav>
    </header>
  );
}
