// JWTs (HS256, through `jose`): short-lived access tokens and long-lived refresh tokens, each with a
// unique jti so one token can be revoked (logout) or consumed (refresh rotation).
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 60 * 60;
export const TOKEN_ISSUER = 'car-suggester';

export type TokenType = 'access' | 'refresh';
export type TokenClaims = { userId: number; type: TokenType; jti: string; expiresAt: number };

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
  issue(userId: number, type: TokenType): Promise<{ token: string; claims: TokenClaims }>;
  /** Verifies signature, issuer, expiry and the expected type; throws TokenError. */
  verify(token: string, type: TokenType): Promise<TokenClaims>;
};

export function createTokenIssuer(secret: string, now: () => number = Date.now): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(userId, type) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + (type === 'access' ? ACCESS_TOKEN_TTL_S : REFRESH_TOKEN_TTL_S);
      const jti = randomUUID();
      const token = await new SignJWT({ typ: type })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(TOKEN_ISSUER)
        .setJti(jti)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, claims: { userId, type, jti, expiresAt } };
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
      const userId = Number(payload.sub);
      if (payload.typ !== type || !Number.isSafeInteger(userId) || userId <= 0 || payload.jti === undefined) {
        throw new TokenError('invalid', `not an ${type} token`);
      }
      return { userId, type, jti: payload.jti, expiresAt: payload.exp ?? 0 };
    },
  };
}
