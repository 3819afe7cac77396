// Which client a request came from, for throttling sign-ins. server.ts writes the socket's peer
// address (or, behind TRUSTED_PROXY_HOPS reverse proxies, the address the outermost of them saw)
// into CLIENT_ADDRESS_HEADER, replacing whatever a client sent under that name; requests that did
// not come through it (tests calling the route handler) count as one client, "unknown".

export const CLIENT_ADDRESS_HEADER = 'x-dashboard-client-address';

/**
 * The client's address: the peer's, or with `trustedHops` proxies in front, the one the outermost
 * trusted proxy appended to X-Forwarded-For (entries further left are the client's own claims).
 */
export function clientAddressOf(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  if (trustedHops <= 0 || !peer) return peer ?? '';
  const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const chain = [...listed, peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? peer;
}

/** Expands an IPv6 address to its eight groups, or null when it is not one. */
function ipv6Groups(address: string): string[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tail];
  return groups.length === 8 && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups : null;
}

/** The throttling key of an address: IPv4 as is, IPv6 by its /64 (one host often holds all of it). */
export function clientKeyOf(address: string | null | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address.split('%')[0] ?? '');
  return groups
    ? `${groups
        .slice(0, 4)
        .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
        .join(':')}::/64`
    : address;
}

export function clientKey(headers: Headers): string {
  return clientKeyOf(headers.get(CLIENT_ADDRESS_HEADER));
}
