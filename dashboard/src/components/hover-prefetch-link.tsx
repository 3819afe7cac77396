'use client';
// A Link that prefetches its route when the pointer reaches it, not when it scrolls into view:
// every page here is rendered per request, so prefetching all the visible links would make the
// server render each of them on every page load (and keep the network busy while it loads).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

export function HoverPrefetchLink({
  href,
  onMouseEnter,
  ...props
}: Omit<ComponentProps<typeof Link>, 'href' | 'prefetch'> & { href: string }) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        router.prefetch(href);
        onMouseEnter?.(event);
      }}
    />
  );
}
