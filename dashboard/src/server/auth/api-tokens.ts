// API tokens (service accounts) in cp_api_tokens: `cpt_<id>_<secret>`, a public id to find the
// record and a 256-bit random secret of which only the SHA-256 is stored and compared in constant
// time. Shown once at creation. Lookups are cached for a few seconds per process; a revocation on
// this replica is seen at once, on others within CACHE_MS (as sessions).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from 'collector';
import { ROLES, type Role } from '../../lib/roles.ts';

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  revokedBy: string;
}

export type TokenCheck =
  | { type: 'ok'; token: ApiTokenRecord }
  | { type: 'refused'; reason: 'malformed' | 'unknown' }
  | { type: 'refused'; reason: 'revoked' | 'expired'; token: ApiTokenRecord };

export interface ApiTokenStore {
  /** A new token; the secret is in `token` only, here and never again. */
  create(input: {
    name: string;
    role: Role;
    expiresAt: number;
    createdBy: string;
  }): Promise<{ token: string; record: ApiTokenRecord }>;
  /** Every token, newest first, revoked and expired ones included. */
  list(): Promise<ApiTokenRecord[]>;
  /** Revokes a token; null when there is no such token. */
  revoke(id: string, by: string): Promise<ApiTokenRecord | null>;
  /** Whether a presented token is live, and whose it is. */
  check(presented: string): Promise<TokenCheck>;
}

const TOKEN_PATTERN = /^cpt_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

interface Row {
  TokenId: string;
  Name: string;
  Role: string;
  SecretHash: string;
  CreatedBy: string;
  CreatedAtMs: string | number;
  ExpiresAtMs: string | number;
  Revoked: number;
  RevokedBy: string;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

function recordOf(row: Row): ApiTokenRecord | null {
  if (!isRole(row.Role)) return null;
  return {
    id: row.TokenId,
    name: row.Name,
    role: row.Role,
    createdBy: row.CreatedBy,
    createdAt: Number(row.CreatedAtMs),
    expiresAt: Number(row.ExpiresAtMs),
    revoked: row.Revoked === 1,
    revokedBy: row.RevokedBy,
  };
}

const COLUMNS = `TokenId, Name, Role, SecretHash, CreatedBy, toUnixTimestamp64Milli(CreatedAt) AS CreatedAtMs,
  toUnixTimestamp64Milli(ExpiresAt) AS ExpiresAtMs, Revoked, RevokedBy`;

/** `clientOf` is read at each use (start-services opens the store after building auth). */
export function createApiTokenStore(
  clientOf: () => Store['client'],
  options: { now?: () => number } = {},
): ApiTokenStore {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { row: Row | null; at: number }>();

  async function write(row: Row) {
    await clientOf().insert({
      table: 'cp_api_tokens',
      format: 'JSONEachRow',
      values: [
        {
          TokenId: row.TokenId,
          Name: row.Name,
          Role: row.Role,
          SecretHash: row.SecretHash,
          CreatedBy: row.CreatedBy,
          CreatedAt: Number(row.CreatedAtMs),
          ExpiresAt: Number(row.ExpiresAtMs),
          Revoked: row.Revoked,
          RevokedBy: row.RevokedBy,
          UpdatedAt: now(),
        },
      ],
    });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(row.TokenId, { row, at: now() });
  }

  async function read(id: string): Promise<Row | null> {
    const cached = cache.get(id);
    if (cached && now() - cached.at < CACHE_MS) return cached.row;
    const result = await clientOf().query({
      query: `SELECT ${COLUMNS} FROM cp_api_tokens WHERE TokenId = {id:String}
              ORDER BY UpdatedAt DESC, Revoked DESC LIMIT 1`,
      query_params: { id },
      format: 'JSONEachRow',
    });
    const [row = null] = await result.json<Row>();
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, { row, at: now() });
    return row;
  }

  return {
    async create(input) {
      const id = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
      const secret = randomBytes(32).toString('base64url');
      const row: Row = {
        TokenId: id,
        Name: input.name,
        Role: input.role,
        SecretHash: sha256(secret).toString('hex'),
        CreatedBy: input.createdBy,
        CreatedAtMs: now(),
        ExpiresAtMs: input.expiresAt,
        Revoked: 0,
        RevokedBy: '',
      };
      await write(row);
      const record = recordOf(row);
      if (!record) throw new Error(`bad role ${input.role}`);
      return { token: `cpt_${id}_${secret}`, record };
    },

    async list() {
      const result = await clientOf().query({
        query: `SELECT ${COLUMNS} FROM cp_api_tokens FINAL ORDER BY CreatedAt DESC LIMIT 1000`,
        format: 'JSONEachRow',
      });
      return (await result.json<Row>()).flatMap((row) => recordOf(row) ?? []);
    },

    async revoke(id, by) {
      cache.delete(id);
      const row = await read(id);
      if (!row) return null;
      if (row.Revoked === 1) return recordOf(row);
      const revoked: Row = { ...row, Revoked: 1, RevokedBy: by };
      await write(revoked);
      return recordOf(revoked);
    },

    async check(presented) {
      const match = TOKEN_PATTERN.exec(presented);
      if (!match?.[1] || !match[2]) return { type: 'refused', reason: 'malformed' };
      const row = await read(match[1]);
      const record = row ? recordOf(row) : null;
      if (!row || !record) return { type: 'refused', reason: 'unknown' };
      const stored = Buffer.from(row.SecretHash, 'hex');
      const given = sha256(match[2]);
      if (stored.length !== given.length || !timingSafeEqual(stored, given))
        return { type: 'refused', reason: 'unknown' };
      if (record.revoked) return { type: 'refused', reason: 'revoked', token: record };
      if (record.expiresAt <= now()) return { type: 'refused', reason: 'expired', token: record };
      return { type: 'ok', token: record };
    },
  };
}
