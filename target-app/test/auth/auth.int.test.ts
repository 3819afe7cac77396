// The account API end to end: register (bcrypt, background verification mail), login, token checks,
// refresh rotation, logout. On PGlite with in-process revocations and mail to a webhook, and on
// PostgreSQL with revocations in Redis and mail to the outbox table.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenPair } from '../../src/auth/accounts.ts';
import { TOKEN_ISSUER } from '../../src/auth/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';
import { call, signUp, uniqueEmail, until } from './auth-client.ts';
import { startMailbox } from './mailbox.ts';

const SECRET = 'auth-test-secret-at-least-32-characters';
const SETUPS = [
  { engine: 'pglite', redis: false, mail: 'webhook' },
  { engine: 'postgresql', redis: true, mail: 'outbox' },
] as const;

describe.each(SETUPS)('auth on $engine (redis: $redis, mail: $mail)', (setup) => {
  let t: TestApp;
  let database: TestDatabase | undefined;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const prefix = `ta-auth-${process.pid}-${setup.engine}:`;
  const post = (path: string, body?: unknown, token?: string) =>
    call(t.url, 'POST', path, {
      ...(body === undefined ? {} : { body }),
      ...(token === undefined ? {} : { token }),
    });
  const get = (path: string, token?: string) =>
    call(t.url, 'GET', path, token === undefined ? {} : { token });
  const metrics = async () => (await fetch(`${t.url}/metrics`)).text();

  /** Rows of the PostgreSQL test database (the outbox is checked where the mail lands). */
  async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
    const client = new pg.Client({ connectionString: database?.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    mailbox = await startMailbox();
    if (setup.engine === 'postgresql') database = await createTestDatabase('auth_api');
    t = await startTestApp({
      jwtSecret: SECRET,
      authBcryptCost: 4,
      cacheKeyPrefix: prefix,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      ...(setup.redis ? { redisUrl: TEST_REDIS_URL } : {}),
      ...(setup.mail === 'webhook' ? { mailWebhookUrl: mailbox.url } : {}),
    });
  });

  afterAll(async () => {
    mailbox?.release();
    await t?.close();
    await mailbox?.close();
    await database?.drop();
    if (setup.redis) {
      const redis = await connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('registers once per e-mail (case-insensitive): a second registration changes nothing', async () => {
    const email = uniqueEmail('dup');
    const first = await post('/api/auth/register', { email, password: 'long enough 1' });
    expect(first).toMatchObject({ status: 201, body: { email, verified: false } });
    const again = await post('/api/auth/register', {
      email: email.toUpperCase(),
      password: 'other password',
    });
    // The same answer as for a new address (registration-privacy.int.test.ts), but no second account.
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect((await post('/api/auth/login', { email, password: 'other password' })).status).toBe(401);
    expect((await post('/api/auth/login', { email, password: 'long enough 1' })).status).toBe(200);
  });

  it('rejects bad registrations with 400 and a message per field, creating nothing', async () => {
    const bad = await post('/api/auth/register', { email: 'not-an-email', password: 'short', admin: true });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: 'email', message: 'must be an e-mail address' },
      { path: 'password', message: 'must be at least 8 characters' },
      { path: 'admin', message: 'unknown field' },
    ]);
    const tooLong = await post('/api/auth/register', {
      email: uniqueEmail('long'),
      password: 'é'.repeat(40),
    });
    expect(tooLong.body.issues).toEqual([{ path: 'password', message: 'must be at most 72 bytes' }]);
    expect((await post('/api/auth/register', 'x')).status).toBe(400);
    expect((await post('/api/auth/login', { email: 'x@example.com' })).body.issues).toEqual([
      { path: 'password', message: 'must be a string' },
    ]);
  });

  it('treats injection attempts as plain data', async () => {
    const email = `x'); drop table users; --${process.pid}@example.com`;
    expect((await post('/api/auth/register', { email, password: 'p"; DROP TABLE cars; --' })).status).toBe(
      400,
    );
    const sneaky = uniqueEmail("o'brien");
    const password = "' OR '1'='1'; --";
    expect((await post('/api/auth/register', { email: sneaky, password })).status).toBe(201);
    expect((await post('/api/auth/login', { email: "' OR 1=1 --", password })).status).toBe(400);
    expect((await post('/api/auth/login', { email: sneaky, password: "' OR '1'='1" })).status).toBe(401);
    expect((await post('/api/auth/login', { email: sneaky, password })).status).toBe(200);
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const user = await signUp(t.url, 'creds');
    const wrong = await post('/api/auth/login', { email: user.email, password: 'wrong password' });
    const unknown = await post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: 'wrong password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('issues a 15-minute access token and a refresh token that are accepted where they belong', async () => {
    const user = await signUp(t.url, 'login');
    expect(user).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(await get('/api/auth/me', user.accessToken)).toMatchObject({
      status: 200,
      body: { id: user.id, email: user.email },
    });
    // A refresh token is not an access token.
    expect((await get('/api/auth/me', user.refreshToken)).status).toBe(401);
    expect((await get('/api/auth/me')).status).toBe(401);
  });

  it('rejects tampered, expired and foreign tokens with 401', async () => {
    const user = await signUp(t.url, 'tamper');
    const [header, payload, signature] = user.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherUser = Buffer.from(JSON.stringify({ ...claims, sub: String(user.id + 1) })).toString(
      'base64url',
    );
    const tampered = await get('/api/auth/me', `${header}.${otherUser}.${signature}`);
    expect(tampered).toMatchObject({ status: 401, body: { error: 'invalid access token' } });

    const sign = (key: string, exp: number) =>
      new SignJWT({ typ: 'access' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(user.id))
        .setIssuer(TOKEN_ISSUER)
        .setJti(randomUUID())
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(key));
    const expired = await sign(SECRET, Math.floor(Date.now() / 1000) - 60);
    expect(await get('/api/auth/me', expired)).toMatchObject({
      status: 401,
      body: { error: 'access token expired' },
    });
    const foreign = await sign('someone-elses-secret-of-32-characters', Math.floor(Date.now() / 1000) + 60);
    expect((await get('/api/auth/me', foreign)).status).toBe(401);
    expect((await get('/api/auth/me', 'garbage')).status).toBe(401);
    // The real token still works.
    expect((await get('/api/auth/me', user.accessToken)).status).toBe(200);
  });

  it('rotates refresh tokens: each works once', async () => {
    const user = await signUp(t.url, 'refresh');
    const rotated = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(rotated.status).toBe(200);
    const next = rotated.body as unknown as TokenPair;
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect((await get('/api/auth/me', next.accessToken)).status).toBe(200);

    const reused = await post('/api/auth/refresh', { refreshToken: user.refreshToken });
    expect(reused.status).toBe(401);
    // Two concurrent uses of one refresh token: exactly one wins.
    const race = await Promise.all(
      [1, 2, 3].map(() => post('/api/auth/refresh', { refreshToken: next.refreshToken })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    expect((await post('/api/auth/refresh', { refreshToken: user.accessToken })).status).toBe(401);
  });

  it('logs out: the access token and the given refresh token stop working at once', async () => {
    const user = await signUp(t.url, 'logout');
    expect((await get('/api/auth/me', user.accessToken)).status).toBe(200); // now cached
    expect(
      (await post('/api/auth/logout', { refreshToken: user.refreshToken }, user.accessToken)).status,
    ).toBe(204);
    expect(await get('/api/auth/me', user.accessToken)).toMatchObject({
      status: 401,
      body: { error: 'access token revoked' },
    });
    expect((await post('/api/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await post('/api/auth/logout', undefined, user.accessToken)).status).toBe(401);
    if (setup.redis) {
      const redis = await connectTestRedis();
      try {
        // The session is revoked (every access token of it), until its last access token would expire.
        const keys = await redis.keys(`${prefix}revoked:*`);
        expect(keys.length).toBeGreaterThanOrEqual(1);
        const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
        for (const ttl of ttls) expect(ttl).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
      }
    }
  });

  it('counts logins, token validations and session-cache hits and misses', async () => {
    const before = await metrics();
    const user = await signUp(t.url, 'metrics');
    for (let i = 0; i < 3; i++) await get('/api/auth/me', user.accessToken);
    await post('/api/auth/login', { email: user.email, password: 'wrong password' });
    const after = await metrics();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      promValue(after, name, labels) - promValue(before, name, labels);
    expect(delta('auth_login_duration_seconds_count', { outcome: 'success' })).toBe(1);
    expect(delta('auth_login_duration_seconds_count', { outcome: 'failure' })).toBe(1);
    // signUp reads /api/auth/me once (the miss), then the three calls above hit the cache.
    expect(delta('auth_token_validation_duration_seconds_count', { outcome: 'valid' })).toBe(4);
    expect(delta('auth_token_cache_misses_total')).toBe(1);
    expect(delta('auth_token_cache_hits_total')).toBe(3);
  });

  if (setup.mail === 'webhook') {
    it('answers the registration before the verification mail is delivered, then delivers it', async () => {
      const delivered = async () =>
        promValue(await metrics(), 'auth_mail_sent_total', { outcome: 'delivered' });
      const deliveredBefore = await delivered();
      mailbox.hold();
      const email = uniqueEmail('mail');
      const registered = await post('/api/auth/register', { email, password: 'long enough 1' });
      expect(registered.status).toBe(201);
      // The sender has handed the mail over, but the mail server has not accepted it yet.
      const mail = await eventually(() => mailbox.received.find((m) => m.to === email));
      expect(await delivered()).toBe(deliveredBefore);
      mailbox.release();
      await until(async () => ((await delivered()) > deliveredBefore ? true : undefined));
      const token = /token=([\w-]+)/.exec(mail.text)?.[1];
      expect(token).toBeDefined();
      expect(await get(`/api/auth/verify?token=${token}`)).toMatchObject({
        status: 200,
        body: { verified: true },
      });
      expect((await get(`/api/auth/verify?token=${token}`)).status).toBe(400);
      const login = await post('/api/auth/login', { email, password: 'long enough 1' });
      expect(await get('/api/auth/me', String(login.body.accessToken))).toMatchObject({
        body: { verified: true },
      });
    });
  } else {
    it('queues the verification mail in the outbox and delivers it in the background', async () => {
      const email = uniqueEmail('outbox');
      expect((await post('/api/auth/register', { email, password: 'long enough 1' })).status).toBe(201);
      type Row = { delivered_to: string | null; body: string };
      const row = await until(async () => {
        const [found] = await sql<Row>('SELECT delivered_to, body FROM email_outbox WHERE recipient = $1', [
          email,
        ]);
        return found?.delivered_to === 'outbox' ? found : undefined;
      });
      const token = /token=([\w-]+)/.exec(row.body)?.[1];
      expect(await get(`/api/auth/verify?token=${token}`)).toMatchObject({
        status: 200,
        body: { verified: true },
      });
      const [user] = await sql<{ verified: boolean }>(
        'SELECT verified_at IS NOT NULL AS verified FROM users WHERE email = $1',
        [email],
      );
      expect(user?.verified).toBe(true);
    });
  }
});
