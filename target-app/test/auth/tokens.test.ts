// Access and refresh JWTs: what a valid token carries, and every way a bad one is refused.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtSecretOf } from '../../src/auth/jwt-secret.ts';
import {
  ACCESS_TOKEN_TTL_S,
  createTokenIssuer,
  REFRESH_TOKEN_TTL_S,
  TOKEN_ISSUER,
  TokenError,
} from '../../src/auth/tokens.ts';
import { ConfigError, parseConfig } from '../../src/env.ts';

const SECRET = 'a-test-secret-that-is-at-least-32-chars';

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error.reason;
    throw error;
  }
  throw new Error('token was accepted');
}

describe('tokens', () => {
  it('issues access tokens for 15 minutes and refresh tokens for 7 days, each with its own jti', async () => {
    const now = Date.UTC(2026, 0, 1);
    const tokens = createTokenIssuer(SECRET, () => now);
    const [user, session] = [randomUUID(), randomUUID()];
    const access = await tokens.issue(user, session, 'access');
    const refresh = await tokens.issue(user, session, 'refresh');
    expect(access.claims).toMatchObject({ subject: user, sessionId: session });
    expect(access.claims.expiresAt - now / 1000).toBe(ACCESS_TOKEN_TTL_S);
    expect(refresh.claims.expiresAt - now / 1000).toBe(REFRESH_TOKEN_TTL_S);
    expect(access.claims.jti).not.toBe(refresh.claims.jti);
    expect(await tokens.verify(access.token, 'access')).toEqual(access.claims);
    expect(await tokens.verify(refresh.token, 'refresh')).toEqual(refresh.claims);
  });

  it('refuses expired, tampered, foreign-key, wrong-type and none-algorithm tokens', async () => {
    let now = Date.UTC(2026, 0, 1);
    const tokens = createTokenIssuer(SECRET, () => now);
    const { token } = await tokens.issue(randomUUID(), randomUUID(), 'access');

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url');
    expect(await refusal(tokens.verify(`${header}.${forged}.${signature}`, 'access'))).toBe('invalid');
    // A different first signature character always changes the signature's first 6 bits.
    const badSignature = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await refusal(tokens.verify(`${header}.${payload}.${badSignature}`, 'access'))).toBe('invalid');
    expect(await refusal(tokens.verify('not-a-jwt', 'access'))).toBe('invalid');

    const other = createTokenIssuer('another-secret-that-is-32-characters!!', () => now);
    expect(await refusal(other.verify(token, 'access'))).toBe('invalid');
    expect(await refusal(tokens.verify(token, 'refresh'))).toBe('invalid');

    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await refusal(tokens.verify(unsigned, 'access'))).toBe('invalid');

    now += (ACCESS_TOKEN_TTL_S + 1) * 1000;
    expect(await refusal(tokens.verify(token, 'access'))).toBe('expired');
  });

  it('refuses a correctly signed token that names its user by number or has no session', async () => {
    // The format before public ids: a serial user id, which a new database hands to someone else.
    const sign = (sub: string, sid?: string) =>
      new SignJWT({ typ: 'access', ...(sid === undefined ? {} : { sid }) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setJti(randomUUID())
        .setIssuer(TOKEN_ISSUER)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET));
    const tokens = createTokenIssuer(SECRET);
    expect(await refusal(tokens.verify(await sign('1', randomUUID()), 'access'))).toBe('invalid');
    expect(await refusal(tokens.verify(await sign(randomUUID()), 'access'))).toBe('invalid');
    const valid = await tokens.verify(await sign(randomUUID(), randomUUID()), 'access');
    expect(valid.type).toBe('access');
  });

  it('refuses a correctly signed token from another issuer', async () => {
    const token = await new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setJti('x')
      .setIssuer('someone-else')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    expect(await refusal(createTokenIssuer(SECRET).verify(token, 'access'))).toBe('invalid');
  });
});

describe('JWT_SECRET', () => {
  it('is required in production and must be 32+ characters; the dev default comes with a warning', () => {
    expect(() => parseConfig({}, { NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: must be set in production/,
    );
    expect(() => parseConfig({}, { JWT_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => parseConfig({}, { JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32 characters \(got \(hidden\)\)/,
    );
    const config = parseConfig({}, { NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(jwtSecretOf(config, () => {})).toBe(SECRET);
    const warnings: string[] = [];
    const dev = parseConfig({}, {});
    expect(jwtSecretOf(dev, (message) => warnings.push(message))).toMatch(/development/);
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET is not set')]);
  });

  it('takes AUTH_BCRYPT_COST between 4 and 15, default 10', () => {
    expect(parseConfig({}, {}).authBcryptCost).toBe(10);
    expect(parseConfig({}, { AUTH_BCRYPT_COST: '12' }).authBcryptCost).toBe(12);
    expect(() => parseConfig({}, { AUTH_BCRYPT_COST: '3' })).toThrow(/AUTH_BCRYPT_COST: must be at least 4/);
    expect(() => parseConfig({}, { MAIL_WEBHOOK_URL: 'ftp://x' })).toThrow(/MAIL_WEBHOOK_URL/);
  });
});
