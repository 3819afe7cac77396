// Users of each role for tests, with real scrypt hashes, and signing in through the real route
// handler (so tests carry the same cookie a browser would).

import type { Role } from '../../src/lib/roles.ts';
import { hashPassword } from '../../src/server/auth/password.ts';

export const TEST_USERS = [
  { name: 'vera', role: 'viewer', password: 'vera-viewer-pass' },
  { name: 'quinn', role: 'qa', password: 'quinn-qa-pass' },
  { name: 'ada', role: 'admin', password: 'ada-admin-pass' },
] as const satisfies readonly { name: string; role: Role; password: string }[];

/** DASHBOARD_USERS for TEST_USERS. */
export async function testUsersEnv(): Promise<string> {
  const entries = await Promise.all(
    TEST_USERS.map(async (u) => `${u.name}:${u.role}:${await hashPassword(u.password)}`),
  );
  return entries.join(',');
}

type Handler = (req: Request) => Promise<Response>;

/** Signs in through POST /api/trpc/auth.signIn; returns the Cookie header value to send. */
export async function signInCookie(post: Handler, name: string, password: string): Promise<string> {
  const res = await post(
    new Request('http://dashboard/api/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', host: 'dashboard' },
      body: JSON.stringify({ name, password }),
    }),
  );
  if (res.status !== 200) throw new Error(`sign-in as ${name} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}
