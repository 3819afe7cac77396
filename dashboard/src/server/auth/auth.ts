// Sign-in, sessions and sign-out. Lives in the dashboard's process (registered in the services
// facade); the tRPC context, the proxy and the layout ask it who a request's cookie belongs to.
// A session is a server-side record (session-store.ts); the role is looked up on every request
// from the current DASHBOARD_USERS, then the users admins made in the UI (ui-users.ts: a disabled
// one has no session and cannot sign in), or for single sign-on from the current OIDC_ROLES mapping.
import type { Role, SessionUser } from '../../lib/roles.ts';
import { clientKey } from './client-address.ts';
import { createHashQueue, type HashQueue, type Queued } from './hash-queue.ts';
import { verifyAgainstNothing, verifyPassword } from './password.ts';
import {
  clearSessionCookie,
  newSessionToken,
  readCookie,
  SESSION_COOKIE,
  sessionIdOf,
  sessionSetCookie,
} from './session-cookie.ts';
import type { SessionRecord, SessionStore } from './session-store.ts';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
import type { UiUserStore } from './ui-users.ts';
import type { LocalUser } from './users.ts';

/** Single sign-on as configured now: whose sessions count, and how claims map to roles. */
export interface SsoMapping {
  issuer: string;
  roleOf(roleClaims: string[]): Role | null;
}

export interface AuthOptions {
  /** DASHBOARD_USERS, or the generated admin: read-only, and first when a name is looked up. */
  users: LocalUser[];
  /** Users made by admins in the UI (cp_users); none without it. */
  uiUsers?: Pick<UiUserStore, 'find'>;
  /** HMAC key for session cookies (≥ 32 bytes of entropy). */
  secret: string;
  sessionTtlMs: number;
  /** 'auto': Secure when the request came over https (directly or per X-Forwarded-Proto). */
  cookieSecure: 'auto' | boolean;
  sessions: SessionStore;
  /** Single sign-on, when OIDC_ISSUER is set; without it, no single-sign-on session is honoured. */
  sso: SsoMapping | null;
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

/** Who a single-sign-on provider says signed in, and the values of its role claim. */
export interface SsoIdentity {
  name: string;
  issuer: string;
  roleClaims: string[];
}

export interface Auth {
  /** The user a request's Cookie header names, or null (none, garbled, forged, expired, signed out, removed). */
  userFromCookieHeader(header: string | null): Promise<SessionUser | null>;
  signIn(name: string, password: string, requestHeaders: Headers): Promise<SignInResult>;
  /** Revokes the request's session; returns the Set-Cookie that clears it. */
  signOut(requestHeaders: Headers): Promise<string>;
  /** A session for a user an identity provider vouched for (OIDC); returns its Set-Cookie. */
  issueSsoSession(identity: SsoIdentity, requestHeaders: Headers): Promise<string>;
  /** Whether cookies set in answer to this request get the Secure flag. */
  cookieSecureFor(requestHeaders: Headers): boolean;
  readonly userCount: number;
}

export function createAuth(options: AuthOptions): Auth {
  const now = options.now ?? Date.now;
  const users = new Map(options.users.map((u) => [u.name, u]));
  const { uiUsers } = options;

  /** The local user `name` as configured now; `fresh` (sign-in) reads past the UI users' cache. */
  async function localUser(name: string, fresh: boolean): Promise<LocalUser | null> {
    const configured = users.get(name);
    if (configured) return configured;
    const made = uiUsers ? await uiUsers.find(name, { fresh }) : null;
    return made && !made.disabled ? made : null;
  }
  const throttle = options.throttle ?? createSignInThrottle(now);
  const hashQueue = options.hashQueue ?? createHashQueue();
  const { sessions, sso } = options;

  const secureFor = (headers: Headers) =>
    options.cookieSecure === 'auto'
      ? headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ||
        (headers.get('origin')?.startsWith('https://') ?? false)
      : options.cookieSecure;

  const sessionIdFrom = (header: string | null) => {
    const token = readCookie(header, SESSION_COOKIE);
    return token ? sessionIdOf(token, options.secret) : null;
  };

  /** The user a live session record stands for under the current configuration. */
  async function userOf(record: SessionRecord): Promise<SessionUser | null> {
    switch (record.idp) {
      case 'local': {
        const user = await localUser(record.user, false);
        return user ? { name: user.name, role: user.role } : null;
      }
      case 'oidc': {
        if (!sso || record.issuer !== sso.issuer) return null;
        const role = sso.roleOf(record.roleClaims);
        return role ? { name: record.user, role } : null;
      }
      default: {
        const unknown: never = record.idp;
        throw new Error(`unknown identity provider ${String(unknown)}`);
      }
    }
  }

  async function startSession(record: Omit<SessionRecord, 'expiresAt'>, headers: Headers) {
    const { id, token } = newSessionToken(options.secret);
    await sessions.create(id, { ...record, expiresAt: now() + options.sessionTtlMs });
    return sessionSetCookie(token, {
      secure: secureFor(headers),
      maxAgeSeconds: Math.floor(options.sessionTtlMs / 1000),
    });
  }

  return {
    get userCount() {
      return users.size;
    },

    async userFromCookieHeader(header) {
      const id = sessionIdFrom(header);
      const record = id ? await sessions.find(id) : null;
      return record ? userOf(record) : null;
    },

    issueSsoSession(identity, requestHeaders) {
      return startSession(
        { user: identity.name, idp: 'oidc', issuer: identity.issuer, roleClaims: identity.roleClaims },
        requestHeaders,
      );
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
      const user = await localUser(name, true).catch((error: unknown) => {
        attempt.settle('not-tried');
        throw error;
      });
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
      return {
        type: 'signed-in',
        user: { name: user.name, role: user.role },
        setCookie: await startSession(
          { user: user.name, idp: 'local', issuer: '', roleClaims: [] },
          requestHeaders,
        ),
      };
    },

    async signOut(requestHeaders) {
      const id = sessionIdFrom(requestHeaders.get('cookie'));
      if (id) await sessions.revoke(id);
      return clearSessionCookie(secureFor(requestHeaders));
    },
  };
}
