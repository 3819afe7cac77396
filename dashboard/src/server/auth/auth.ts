// Sign-in, sessions and sign-out for local users. Lives in the dashboard's process (registered in
// the services facade); the tRPC context asks it who a request's cookie belongs to.
import type { SessionUser } from '../../lib/roles.ts';
import { verifyAgainstNothing, verifyPassword } from './password.ts';
import {
  clearSessionCookie,
  decodeSession,
  encodeSession,
  newSessionId,
  readCookie,
  SESSION_COOKIE,
  sessionSetCookie,
} from './session-cookie.ts';
import type { LocalUser } from './users.ts';

export interface AuthOptions {
  users: LocalUser[];
  /** HMAC key for session cookies (≥ 32 bytes of entropy). */
  secret: string;
  sessionTtlMs: number;
  /** 'auto': Secure when the request came over https (directly or per X-Forwarded-Proto). */
  cookieSecure: 'auto' | boolean;
  now?: () => number;
}

export type SignInResult =
  | { type: 'signed-in'; user: SessionUser; setCookie: string }
  | { type: 'refused'; reason: 'bad-credentials' }
  | { type: 'refused'; reason: 'throttled'; retryAfterSeconds: number };

export interface Auth {
  /** The user a request's Cookie header names, or null (none, forged, expired, signed out, removed). */
  userFromCookieHeader(header: string | null): SessionUser | null;
  signIn(name: string, password: string, requestHeaders: Headers): Promise<SignInResult>;
  /** Revokes the request's session; returns the Set-Cookie that clears it. */
  signOut(requestHeaders: Headers): string;
  /** A session for a user an identity provider vouched for (OIDC); returns its Set-Cookie. */
  issueOidcSession(user: SessionUser, requestHeaders: Headers): string;
  /** Whether cookies set in answer to this request get the Secure flag. */
  cookieSecureFor(requestHeaders: Headers): boolean;
  readonly userCount: number;
}

// Failed sign-ins per user name: after this many within the window, refuse until it passes.
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

export function createAuth(options: AuthOptions): Auth {
  const now = options.now ?? Date.now;
  const users = new Map(options.users.map((u) => [u.name, u]));
  /** Signed-out session ids → their expiry (kept only until then). */
  const revoked = new Map<string, number>();
  const failures = new Map<string, { count: number; since: number }>();

  const secureFor = (headers: Headers) =>
    options.cookieSecure === 'auto'
      ? headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ||
        (headers.get('origin')?.startsWith('https://') ?? false)
      : options.cookieSecure;

  function sessionOf(header: string | null) {
    const token = readCookie(header, SESSION_COOKIE);
    if (!token) return null;
    const session = decodeSession(token, options.secret, now());
    if (!session || revoked.has(session.sid)) return null;
    return session;
  }

  function prune() {
    const t = now();
    for (const [sid, exp] of revoked) if (exp <= t) revoked.delete(sid);
    for (const [name, f] of failures) if (t - f.since > FAILURE_WINDOW_MS) failures.delete(name);
  }

  return {
    get userCount() {
      return users.size;
    },

    userFromCookieHeader(header) {
      const session = sessionOf(header);
      if (session?.idp === 'oidc') return session.role ? { name: session.name, role: session.role } : null;
      const user = session ? users.get(session.name) : undefined;
      return user ? { name: user.name, role: user.role } : null;
    },

    issueOidcSession(user, requestHeaders) {
      const exp = now() + options.sessionTtlMs;
      const token = encodeSession(
        { sid: newSessionId(), name: user.name, exp, idp: 'oidc', role: user.role },
        options.secret,
      );
      return sessionSetCookie(token, {
        secure: secureFor(requestHeaders),
        maxAgeSeconds: Math.floor(options.sessionTtlMs / 1000),
      });
    },

    cookieSecureFor: (headers) => secureFor(headers),

    async signIn(name, password, requestHeaders) {
      prune();
      const failed = failures.get(name);
      if (failed && failed.count >= MAX_FAILURES) {
        const retryAfterSeconds = Math.ceil((failed.since + FAILURE_WINDOW_MS - now()) / 1000);
        return { type: 'refused', reason: 'throttled', retryAfterSeconds };
      }
      const user = users.get(name);
      const ok = user
        ? await verifyPassword(password, user.passwordHash)
        : await verifyAgainstNothing(password);
      if (!ok || !user) {
        failures.set(name, { count: (failed?.count ?? 0) + 1, since: failed?.since ?? now() });
        return { type: 'refused', reason: 'bad-credentials' };
      }
      failures.delete(name);
      const exp = now() + options.sessionTtlMs;
      const token = encodeSession({ sid: newSessionId(), name: user.name, exp }, options.secret);
      return {
        type: 'signed-in',
        user: { name: user.name, role: user.role },
        setCookie: sessionSetCookie(token, {
          secure: secureFor(requestHeaders),
          maxAgeSeconds: Math.floor(options.sessionTtlMs / 1000),
        }),
      };
    },

    signOut(requestHeaders) {
      prune();
      const session = sessionOf(requestHeaders.get('cookie'));
      if (session) revoked.set(session.sid, session.exp);
      return clearSessionCookie(secureFor(requestHeaders));
    },
  };
}
