// Server-side session records in cp_sessions (the store every replica shares): a session lives
// until it expires or is revoked, and both survive restarts. Lookups are cached for a few seconds
// per process; a revocation on this replica is seen at once, on others within CACHE_MS.
import { createHash } from 'node:crypto';
import type { Store } from 'collector';

export interface SessionRecord {
  user: string;
  /** 'local': DASHBOARD_USERS; 'oidc': a single-sign-on provider vouched for the user. */
  idp: 'local' | 'oidc';
  /** The provider's issuer for 'oidc'; '' for local users. */
  issuer: string;
  /** The values of the role claim the provider gave at sign-in (mapped to a role on each request). */
  roleClaims: string[];
  expiresAt: number;
}

export interface SessionStore {
  create(id: string, record: SessionRecord): Promise<void>;
  /** The live (unexpired, unrevoked) session with this id, or null. */
  find(id: string): Promise<SessionRecord | null>;
  revoke(id: string): Promise<void>;
  /** Revokes every live session of a local user (a role change, password reset or disable); how many. */
  revokeUser(user: string): Promise<number>;
}

const CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

interface Row {
  IdHash?: string;
  UserName: string;
  Idp: string;
  Issuer: string;
  RoleClaims: string[];
  ExpiresAtMs: string | number;
  Revoked: number;
}

/** `clientOf` is read at each use (start-services opens the store after building auth). */
export function createSessionStore(
  clientOf: () => Store['client'],
  options: { now?: () => number; log?: (line: string) => void } = {},
): SessionStore {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  const cache = new Map<string, { record: SessionRecord | null; at: number }>();

  const remember = (hash: string, record: SessionRecord | null) => {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(hash, { record, at: now() });
  };

  async function write(hash: string, record: SessionRecord, revoked: boolean, createdAt: number) {
    await clientOf().insert({
      table: 'cp_sessions',
      format: 'JSONEachRow',
      values: [
        {
          IdHash: hash,
          UserName: record.user,
          Idp: record.idp,
          Issuer: record.issuer,
          RoleClaims: record.roleClaims,
          CreatedAt: createdAt,
          ExpiresAt: record.expiresAt,
          Revoked: revoked ? 1 : 0,
          UpdatedAt: now(),
        },
      ],
    });
  }

  const recordOf = (row: Row): SessionRecord | null =>
    row.Revoked || (row.Idp !== 'local' && row.Idp !== 'oidc')
      ? null
      : {
          user: row.UserName,
          idp: row.Idp,
          issuer: row.Issuer,
          roleClaims: row.RoleClaims,
          expiresAt: Number(row.ExpiresAtMs),
        };

  async function read(hash: string): Promise<SessionRecord | null> {
    const result = await clientOf().query({
      query: `SELECT UserName, Idp, Issuer, RoleClaims, toUnixTimestamp64Milli(ExpiresAt) AS ExpiresAtMs, Revoked
              FROM cp_sessions WHERE IdHash = {hash:String}
              ORDER BY UpdatedAt DESC, Revoked DESC LIMIT 1`,
      query_params: { hash },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<Row>();
    return row ? recordOf(row) : null;
  }

  return {
    async create(id, record) {
      const hash = hashOf(id);
      await write(hash, record, false, now());
      remember(hash, record);
    },

    async find(id) {
      const hash = hashOf(id);
      const cached = cache.get(hash);
      let record: SessionRecord | null;
      if (cached && now() - cached.at < CACHE_MS) {
        record = cached.record;
      } else {
        try {
          record = await read(hash);
          remember(hash, record);
        } catch (error) {
          // A store hiccup should not sign everyone out: a recent answer stands in.
          log(`sessions: could not read a session: ${(error as Error).message}`);
          record = cached?.record ?? null;
        }
      }
      return record && record.expiresAt > now() ? record : null;
    },

    async revoke(id) {
      const hash = hashOf(id);
      const record = cache.get(hash)?.record ?? (await read(hash));
      remember(hash, null);
      if (record) await write(hash, record, true, now());
    },

    async revokeUser(user) {
      // FINAL: each session's newest row, so one revoked already is not revoked again.
      const result = await clientOf().query({
        query: `SELECT IdHash, UserName, Idp, Issuer, RoleClaims,
                  toUnixTimestamp64Milli(ExpiresAt) AS ExpiresAtMs, Revoked
                FROM cp_sessions FINAL
                WHERE UserName = {user:String} AND Idp = 'local' AND Revoked = 0
                  AND ExpiresAt > fromUnixTimestamp64Milli({now:Int64})`,
        query_params: { user, now: now() },
        format: 'JSONEachRow',
      });
      const live = (await result.json<Row>()).flatMap((row) => {
        const record = recordOf(row);
        return record && row.IdHash ? [{ hash: row.IdHash, record }] : [];
      });
      for (const { hash } of live) remember(hash, null);
      if (live.length === 0) return 0;
      const at = now();
      await clientOf().insert({
        table: 'cp_sessions',
        format: 'JSONEachRow',
        values: live.map(({ hash, record }) => ({
          IdHash: hash,
          UserName: record.user,
          Idp: record.idp,
          Issuer: record.issuer,
          RoleClaims: record.roleClaims,
          CreatedAt: at,
          ExpiresAt: record.expiresAt,
          Revoked: 1,
          UpdatedAt: at,
        })),
      });
      return live.length;
    },
  };
}
