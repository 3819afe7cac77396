'use client';
// The bar across every page: product name and its areas, the current one highlighted, and who is
// signed in. Signed out (the sign-in page) it shows only the name.

import { usePathname } from 'next/navigation';
import { useCan, useSessionUser } from './auth/session.tsx';
import { UserMenu } from './auth/user-menu.tsx';
import { HoverPrefetchLink as Link } from './hover-prefetch-link.tsx';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/scores', label: 'Scores' },
  { href: '/service', label: 'Service' },
  { href: '/load-tests', label: 'Load tests' },
  { href: '/schedules', label: 'Schedules' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/compare', label: 'Compare' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/chaos', label: 'Chaos' },
  { href: '/system', label: 'System' },
] as const;

const ADMIN_LINKS = [
  { href: '/audit', label: 'Audit' },
  { href: '/receivers', label: 'Receivers' },
  { href: '/tokens', label: 'Tokens' },
  { href: '/users', label: 'Users' },
] as const;

export function Nav() {
  const pathname = usePathname();
  const user = useSessionUser();
  const isAdmin = useCan('admin');
  const links = user ? [...LINKS, ...(isAdmin ? ADMIN_LINKS : [])] : [];
  return (
    <header className="nav">
      <Link href="/" className="nav-brand">
        CarSuggester <span>perf</span>
      </Link>
      <nav aria-label="Main">
        {links.map((link) => {
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
      <UserMenu />
    </header>
  );
}
