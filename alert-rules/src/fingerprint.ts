// An alert's identity: the hash of its label set, computed as Prometheus and Alertmanager do
// (FNV-1a 64 over sorted name/value pairs, each followed by 0xff), printed as 16 hex digits.

const offset64 = 0xcbf29ce484222325n;
const prime64 = 0x100000001b3n;
const mask64 = 0xffffffffffffffffn;
const separator = 0xff;
const encoder = new TextEncoder();

function add(hash: bigint, bytes: Iterable<number>): bigint {
  let h = hash;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * prime64) & mask64;
  return h;
}

export function fingerprint(labels: Record<string, string>): string {
  let hash = offset64;
  for (const name of Object.keys(labels).sort()) {
    hash = add(hash, encoder.encode(name));
    hash = add(hash, [separator]);
    hash = add(hash, encoder.encode(labels[name]));
    hash = add(hash, [separator]);
  }
  return hash.toString(16).padStart(16, '0');
}
