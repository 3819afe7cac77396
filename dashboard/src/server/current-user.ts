import 'server-only';
// The signed-in user for server components (the root layout), from the request's session cookie.
import { headers } from 'next/headers';
import type { SessionUser } from '../lib/roles.ts';
import { getServices } from './services.ts';

export async function currentUser(): Promise<SessionUser | null> {
  const cookie = (await headers()).get('cookie');
  return await getServices().auth.userFromCookieHeader(cookie);
}
