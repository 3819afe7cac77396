// Sign-in, sessions and sign-out for local users. Lives in the dashboard's process (registered in
// the services facade); the tRPC context asks it who a request's cookie belongs to.
import type { SessionUser } from '../../lib/roles.ts';
import { clientKey } from './client-address.ts';
import { createHashQueue, type HashQueue, type Queued } from './hash-queue.ts';
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
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
import type { LocalUser } from './users.ts';

export interface AuthOptions {
  users: LocalUser[];
  /** HMAC key for session cookies (≥ 32 bytes of entropy). */
  secret: string;
  sessionTtlMs: number;
  /** 'auto': Secure when the request came over https (directly or per X-Forwarded-Proto). */
  cookieSecure: 'auto' | boolean;
  now?: () => number;
  /** Failed sign-ins per (account, client) and per client (default: sign-in-throttle.ts's limits). */
  throttle?: SignInThrottle;
  /** Where password hashing waits its turn (default: one at a time, four waiting). */
  hashQueue?: HashQueue;
}

export type SignInResult =
  | { type: 'signed-in'; user: SessionUser; setCookie: string }
  | { type: 'refused'; reason: 'bad-credentials' }
  /** Too many failures from this client (for this account or any): `first` since the last failure. */
  | { type: 'refused'; reason: 'throttled'; retryAfterSeconds: number; first: boolean }
  /** Password hashing is saturated: refused before any work. */
  | { type: 'refused'; reason: 'busy'; retryAfterSeconds: number };

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

export function createAuth(options: AuthOptions): Auth {
  const now = options.now ?? Date.now;
  const users = new Map(options.users.map((u) => [u.name, u]));
  /** Signed-out session ids → their expiry (kept only until then). */
  const revoked = new Map<string, number>();
  const throttle = options.throttle ?? createSignInThrottle(now);
  const hashQueue = options.hashQueue ?? createHashQueue();

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
      // Refused before counting when hashing is saturated (no password is tried), then counted
      // before any await, so concurrent attempts see each other.
      const busy = hashQueue.busyFor();
      if (busy !== null) return { type: 'refused', reason: 'busy', retryAfterSeconds: busy };
      const attempt = throttle.begin(name, clientKey(requestHeaders));
      if (attempt.type === 'wait') {
        const { retryAfterSeconds, first } = attempt;
        return { type: 'refused', reason: 'throttled', retryAfterSeconds, first };
      }
      const user = users.get(name);
      let checked: Queued<boolean>;
      try {
        checked = await hashQueue.run(() =>
          user ? verifyPassword(password, user.passwordHash) : verifyAgainstNothing(password),
        );
      } catch (error) {
        attempt.settle('failed');
        throw error;
      }
      if (checked.type === 'busy') {
        attempt.settle('not-tried');
        return { type: 'refused', reason: 'busy', retryAfterSeconds: checked.retryAfterSeconds };
      }
      attempt.settle(checked.value && user ? 'signed-in' : 'failed');
      if (!checked.value || !user) return { type: 'refused', reason: 'bad-credentials' };
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
