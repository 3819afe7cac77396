// The rate-limit allowlist: IP addresses and CIDR ranges (IPv4 and IPv6) matched with node's BlockList.
// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1, what a dual-stack socket reports) match their IPv4 entry.
import { BlockList, isIP } from 'node:net';

/** Whether `entry` is an IP address or a CIDR such as 10.0.0.0/8 or fd00::/8. */
export function isIpOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (address === undefined || extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export type Allowlist = { readonly entries: readonly string[]; has(ip: string): boolean };

/** Entries must have passed isIpOrCidr (the env and admin schemas check them). */
export function createAllowlist(entries: readonly string[]): Allowlist {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return {
    entries: [...entries],
    has(ip) {
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
      const address = mapped ?? ip;
      const family = isIP(address);
      if (family === 0) return false;
      return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
