// Runs before every request but Next's assets (in the dashboard's Node process): sends signed-out
// visitors to the sign-in page before any page renders (the API checks the session itself, per
// procedure) and signed-in ones away from it, and gives each response a Content-Security-Policy
// with a fresh nonce. nosniff and the Referrer-Policy are set for every response in next.config.ts.
import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, newNonce } from './server/content-security-policy.ts';
import { getServices } from './server/services.ts';

function route(request: NextRequest, user: boolean, headers: Headers): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname === '/signin') {
    return user
      ? NextResponse.redirect(new URL('/', request.url))
      : NextResponse.next({ request: { headers } });
  }
  if (user) return NextResponse.next({ request: { headers } });
  const to = new URL('/signin', request.url);
  const next = `${pathname}${search}`;
  if (next !== '/') to.searchParams.set('next', next);
  return NextResponse.redirect(to);
}

/** Responses that send a stricter policy of their own (a page's policy would replace it). */
const OWN_POLICY = [/^\/api\/runs\/[^/]+\/export$/];

export async function proxy(request: NextRequest) {
  if (OWN_POLICY.some((path) => path.test(request.nextUrl.pathname))) return NextResponse.next();
  const policy = contentSecurityPolicy(newNonce());
  // Next.js reads the nonce for its own scripts from the request's policy header.
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  // The API checks sessions itself; it passes through here only for the policy (its 404s are pages).
  const api = request.nextUrl.pathname.startsWith('/api/');
  const user = api ? null : await getServices().auth.userFromCookieHeader(request.headers.get('cookie'));
  const response = api ? NextResponse.next({ request: { headers } }) : route(request, user !== null, headers);
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Everything that can answer with HTML (404s included), not Next's hashed assets.
  matcher: ['/((?!_next/static/).*)'],
};
