// Access-token validation behind a session cache: a miss verifies the JWT and loads the user; a hit
// (same token string, so a tampered token can never hit) skips both. The session's revocation is
// checked on every call, so logout takes effect at once for every access token of that session; a
// miss also finds the session ended in the database (after a restart, or on another instance).
import { LruCache } from '../cache/lru.ts';
import type { AuthMetrics, ValidationOutcome } from './auth-metrics.ts';
import type { RevocationStore } from './revocations.ts';
import { type TokenClaims, TokenError, type TokenIssuer } from './tokens.ts';

export type AuthUser = { id: number; email: string; verified: boolean };
export type Session = { user: AuthUser; claims: TokenClaims };

/** The product plan's TTL for the session kind; never beyond the token's own expiry. */
export const SESSION_CACHE_TTL_MS = 60 * 60 * 1000;

export type TokenValidator = {
  /** The session behind a valid access token; throws TokenError (→ 401) otherwise. */
  validate(token: string): Promise<Session>;
  /** Drops a token's cached session (logout). */
  forget(token: string): void;
};

export type TokenValidatorDeps = {
  tokens: TokenIssuer;
  revocations: RevocationStore;
  /**
   * The user with this public id (the token's subject), or 'ended' when the session has no refresh
   * token left (logged out): that holds across restarts, where the in-process revocations do not.
   */
  loadUser(subject: string, sessionId: string): Promise<AuthUser | 'ended' | undefined>;
  metrics: AuthMetrics;
  /**
   * Read on every call (the tokenValidationCache optimisation switch): off → every request verifies
   * the JWT and loads the user (counted as a cache miss), and nothing is kept.
   */
  cacheEnabled?: () => boolean;
  maxEntries?: number;
  now?: () => number;
};

export function createTokenValidator(deps: TokenValidatorDeps): TokenValidator {
  const now = deps.now ?? Date.now;
  const cache = new LruCache<Session>(deps.maxEntries ?? 10_000, now);

  const cacheOn = deps.cacheEnabled ?? (() => true);

  async function resolve(token: string): Promise<Session> {
    const useCache = cacheOn();
    const cached = useCache ? cache.get(token) : undefined;
    deps.metrics.tokenCache(cached === undefined ? 'miss' : 'hit');
    const session = cached ?? (await load(token, useCache));
    if (await deps.revocations.isRevoked(session.claims.sessionId)) {
      cache.delete(token);
      throw new TokenError('revoked', 'token revoked');
    }
    return session;
  }

  async function load(token: string, keep: boolean): Promise<Session> {
    const claims = await deps.tokens.verify(token, 'access');
    const user = await deps.loadUser(claims.subject, claims.sessionId);
    if (user === undefined) throw new TokenError('invalid', 'unknown user');
    if (user === 'ended') throw new TokenError('revoked', 'session ended');
    const session = { user, claims };
    const ttlMs = Math.min(SESSION_CACHE_TTL_MS, claims.expiresAt * 1000 - now());
    if (keep && ttlMs > 0) cache.set(token, session, ttlMs);
    return session;
  }

  return {
    async validate(token) {
      const started = performance.now();
      let outcome: ValidationOutcome = 'valid';
      try {
        return await resolve(token);
      } catch (error) {
        outcome = error instanceof TokenError ? error.reason : 'invalid';
        throw error;
      } finally {
        deps.metrics.validation(outcome, (performance.now() - started) / 1000);
      }
    },
    forget: (token) => cache.delete(token),
  };
}
