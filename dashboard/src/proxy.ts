// Sends signed-out visitors to the sign-in page before any page renders (the API checks the session
// itself, per procedure), and signed-in ones away from it. Runs in the dashboard's Node process.
import { type NextRequest, NextResponse } from 'next/server';
import { getServices } from './server/services.ts';

export async function proxy(request: NextRequest) {
  const user = await getServices().auth.userFromCookieHeader(request.headers.get('cookie'));
  const { pathname, search } = request.nextUrl;
  if (pathname === '/signin') {
    return user ? NextResponse.redirect(new URL('/', request.url)) : NextResponse.next();
  }
  if (user) return NextResponse.next();
  const to = new URL('/signin', request.url);
  const next = `${pathname}${search}`;
  if (next !== '/') to.searchParams.set('next', next);
  return NextResponse.redirect(to);
}

export const config = {
  // Pages only: not the API (it answers 401 itself), Next's assets or static files.
  matcher: ['/((?!api/|_next/|favicon\\.ico|.*\\.[a-z0-9]+$).*)'],
};
