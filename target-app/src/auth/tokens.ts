// JWTs (HS256, through `jose`): short-lived access tokens and long-lived refresh tokens. Both name the
// user by their public id (`sub`, a random UUID that no other account ever gets, unlike the table's
// serial id, which a fresh database hands out again) and the sign-in session they belong to (`sid`),
// and carry a unique jti: a refresh token is only good while its jti is a row in refresh_tokens.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 60 * 60;
export const TOKEN_ISSUER = 'car-suggester';

export type TokenType = 'access' | 'refresh';
export type TokenClaims = {
  /** The user's public id (users.public_id). */
  subject: string;
  /** The sign-in session: one per login, kept by every refresh; logout ends it. */
  sessionId: string;
  type: TokenType;
  jti: string;
  expiresAt: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a token was refused: every reason answers 401, the reason only feeds metrics and logs. */
export class TokenError extends Error {
  readonly reason: 'expired' | 'invalid' | 'revoked';
  constructor(reason: 'expired' | 'invalid' | 'revoked', message: string) {
    super(message);
    this.name = 'TokenError';
    this.reason = reason;
  }
}

export type TokenIssuer = {
  issue(subject: string, sessionId: string, type: TokenType): Promise<{ token: string; claims: TokenClaims }>;
  /** Verifies signature, issuer, expiry and the expected type; throws TokenError. */
  verify(token: string, type: TokenType): Promise<TokenClaims>;
};

export function createTokenIssuer(secret: string, now: () => number = Date.now): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(subject, sessionId, type) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + (type === 'access' ? ACCESS_TOKEN_TTL_S : REFRESH_TOKEN_TTL_S);
      const jti = randomUUID();
      const token = await new SignJWT({ typ: type, sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(TOKEN_ISSUER)
        .setJti(jti)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, claims: { subject, sessionId, type, jti, expiresAt } };
    },
    async verify(token, type) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: TOKEN_ISSUER,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'jti', 'exp'],
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new TokenError('expired', 'token expired');
        throw new TokenError('invalid', 'invalid token');
      }
      const { sub, sid, jti } = payload;
      // Tokens from before public ids (a numeric sub, no sid) are refused: their numbers may now
      // belong to someone else.
      const ids = [sub, sid, jti];
      if (payload.typ !== type || !ids.every((id) => typeof id === 'string' && UUID.test(id))) {
        throw new TokenError('invalid', `not an ${type} token`);
      }
      return {
        subject: sub as string,
        sessionId: sid as string,
        type,
        jti: jti as string,
        expiresAt: payload.exp ?? 0,
      };
    },
  };
}
