// Users made by admins in the UI, in cp_users (the store every replica shares): one row per change,
// the newest UpdatedAt wins. Lookups are cached for USER_CACHE_MS per process so a request does not
// cost a query; a change on this replica is seen at once, on others within USER_CACHE_MS. Sign-in
// reads fresh, so a password reset or a disable is never judged against a stale record.
import type { Store } from 'collector';
import { ROLES, type Role } from '../../lib/roles.ts';

export interface UiUser {
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

export interface UiUserStore {
  /** The user's current record, or null; `fresh` skips the cache. */
  find(name: string, options?: { fresh?: boolean }): Promise<UiUser | null>;
  /** Every UI user, by name. */
  list(): Promise<UiUser[]>;
  /** Appends the user's new state (a creation or a change). */
  write(user: UiUser): Promise<void>;
}

export const USER_CACHE_MS = 2_000;
const MAX_CACHED = 10_000;

interface Row {
  Name: string;
  Role: string;
  PasswordHash: string;
  Disabled: number;
  CreatedBy: string;
  CreatedAtMs: string | number;
  UpdatedBy: string;
  UpdatedAtMs: string | number;
}

const COLUMNS = `Name, Role, PasswordHash, Disabled, CreatedBy, toUnixTimestamp64Milli(CreatedAt) AS CreatedAtMs,
  UpdatedBy, toUnixTimestamp64Milli(UpdatedAt) AS UpdatedAtMs`;

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

function userOf(row: Row): UiUser | null {
  if (!isRole(row.Role)) return null;
  return {
    name: row.Name,
    role: row.Role,
    passwordHash: row.PasswordHash,
    disabled: Number(row.Disabled) === 1,
    createdBy: row.CreatedBy,
    createdAt: Number(row.CreatedAtMs),
    updatedBy: row.UpdatedBy,
    updatedAt: Number(row.UpdatedAtMs),
  };
}

/** `clientOf` is read at each use (start-services opens the store after building auth). */
export function createUiUserStore(
  clientOf: () => Store['client'],
  options: { now?: () => number; log?: (line: string) => void } = {},
): UiUserStore {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.error(line));
  const cache = new Map<string, { user: UiUser | null; at: number }>();

  const remember = (name: string, user: UiUser | null) => {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(name, { user, at: now() });
  };

  async function read(name: string): Promise<UiUser | null> {
    const result = await clientOf().query({
      query: `SELECT ${COLUMNS} FROM cp_users WHERE Name = {name:String}
              ORDER BY UpdatedAt DESC LIMIT 1`,
      query_params: { name },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<Row>();
    return row ? userOf(row) : null;
  }

  return {
    async find(name, findOptions = {}) {
      const cached = cache.get(name);
      if (!findOptions.fresh && cached && now() - cached.at < USER_CACHE_MS) return cached.user;
      try {
        const user = await read(name);
        remember(name, user);
        return user;
      } catch (error) {
        // A store hiccup should not sign everyone out: a recent answer stands in (not for sign-in).
        if (findOptions.fresh || !cached) throw error;
        log(`users: could not read user "${name}": ${(error as Error).message}`);
        return cached.user;
      }
    },

    async list() {
      const result = await clientOf().query({
        query: `SELECT ${COLUMNS} FROM cp_users FINAL ORDER BY Name LIMIT 10000`,
        format: 'JSONEachRow',
      });
      return (await result.json<Row>()).flatMap((row) => userOf(row) ?? []);
    },

    async write(user) {
      await clientOf().insert({
        table: 'cp_users',
        format: 'JSONEachRow',
        values: [
          {
            Name: user.name,
            Role: user.role,
            PasswordHash: user.passwordHash,
            Disabled: user.disabled ? 1 : 0,
            CreatedBy: user.createdBy,
            CreatedAt: user.createdAt,
            UpdatedBy: user.updatedBy,
            UpdatedAt: user.updatedAt,
          },
        ],
      });
      remember(user.name, user);
    },
  };
}
