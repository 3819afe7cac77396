// Where the users and the session key come from at start. DASHBOARD_USERS and SESSION_SECRET when
// set; otherwise, so `npm start` works on a laptop, a generated admin (password printed once, only
// its hash kept) and a generated key, both in files under DATA_DIR readable by the owner only.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { hashPassword } from './password.ts';
import { type LocalUser, localUserSchema } from './users.ts';

export interface AuthConfig {
  users: LocalUser[];
  /** Where `users` came from (the Users page lists them read-only under this name). */
  usersFrom: 'DASHBOARD_USERS' | 'generated admin';
  secret: string;
}

export const generatedUsersFile = (dataDir: string) => join(dataDir, 'dashboard-users.json');
export const sessionSecretFile = (dataDir: string) => join(dataDir, 'dashboard-session-secret');

const usersFileSchema = z.object({ users: z.array(localUserSchema).min(1) });

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function generatedUsers(dataDir: string, log: (line: string) => void): Promise<LocalUser[]> {
  const path = generatedUsersFile(dataDir);
  const existing = readIfPresent(path);
  if (existing !== null) {
    const parsed = usersFileSchema.safeParse(JSON.parse(existing));
    if (!parsed.success)
      throw new Error(`${path} is not a valid users file: delete it to generate a new admin`);
    log(
      `sign in as "${parsed.data.users[0]?.name}" with the password printed at first start (forgot it? delete ${path} and restart)`,
    );
    return parsed.data.users;
  }
  const password = randomBytes(15).toString('base64url');
  const users: LocalUser[] = [{ name: 'admin', role: 'admin', passwordHash: await hashPassword(password) }];
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  log('no DASHBOARD_USERS set: created the user "admin" (role admin) for this laptop');
  log(`  password (shown only now, stored hashed in ${path}): ${password}`);
  return users;
}

function sessionSecret(dataDir: string): string {
  const path = sessionSecretFile(dataDir);
  const existing = readIfPresent(path)?.trim();
  if (existing && existing.length >= 32) return existing;
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export async function loadAuthConfig(
  env: { DASHBOARD_USERS: LocalUser[]; SESSION_SECRET?: string | undefined; DATA_DIR: string },
  log: (line: string) => void,
): Promise<AuthConfig> {
  const fromEnv = env.DASHBOARD_USERS.length > 0;
  const users = fromEnv ? env.DASHBOARD_USERS : await generatedUsers(env.DATA_DIR, log);
  return {
    users,
    usersFrom: fromEnv ? 'DASHBOARD_USERS' : 'generated admin',
    secret: env.SESSION_SECRET ?? sessionSecret(env.DATA_DIR),
  };
}
