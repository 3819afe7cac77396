// Password hashes for local users: scrypt from node:crypto (memory-hard, no native add-on), with
// its parameters stored in the hash so they can be raised later without breaking old hashes.
// Format: `scrypt.<log2 N>.<r>.<p>.<salt>.<key>` (base64url) — no `$` or `:`, so it fits in a
// docker-compose file and in DASHBOARD_USERS's `name:role:hash` entries unquoted.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// OWASP's scrypt recommendation: N = 2^17, r = 8, p = 1 (128 MiB, ~0.3 s here).
const LOG_N = 17;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

const HASH_PATTERN = /^scrypt\.(\d{1,2})\.(\d{1,2})\.(\d{1,2})\.([A-Za-z0-9_-]{16,})\.([A-Za-z0-9_-]{32,})$/;

export function isPasswordHash(value: string): boolean {
  const m = HASH_PATTERN.exec(value);
  return m !== null && Number(m[1]) >= 10 && Number(m[1]) <= 22 && Number(m[2]) >= 1 && Number(m[3]) >= 1;
}

function derive(password: string, salt: Buffer, keyBytes: number, logN: number, r: number, p: number) {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 2 ** logN * r * 128 * 2 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, LOG_N, R, P);
  return `scrypt.${LOG_N}.${R}.${P}.${salt.toString('base64url')}.${key.toString('base64url')}`;
}

/** Constant-time comparison; a malformed hash never matches. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH_PATTERN.exec(hash);
  if (!m || !isPasswordHash(hash)) return false;
  const expected = Buffer.from(m[5] ?? '', 'base64url');
  const key = await derive(
    password,
    Buffer.from(m[4] ?? '', 'base64url'),
    expected.length,
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spends the time of a real check when the user does not exist, so timing does not reveal names. */
let dummyHash: Promise<string> | null = null;
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not a password anyone has');
  await verifyPassword(password, await dummyHash);
  return false;
}
