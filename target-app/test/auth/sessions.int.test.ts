// Issue 15 item 6: tokens outlive a database. The attack: the target restarts with the same signing key
// but a fresh database (embedded PGlite forgets everything; a server database recreated), user B gets
// the serial id user A had, and A's old tokens must not open B's account. Also: refresh tokens are
// server-side records, and logging out with the access token alone ends the session's refresh tokens.
// On PGlite (revocations in-process) and on PostgreSQL (revocations in Redis).
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenPair } from '../../src/auth/accounts.ts';
import { TOKEN_ISSUER } from '../../src/auth/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL } from '../support/redis.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, signUp } from './auth-client.ts';

const SECRET = 'sessions-test-secret-at-least-32-characters';
const SETUPS = [
  { engine: 'pglite', redis: false },
  { engine: 'postgresql', redis: true },
] as const;

describe.each(SETUPS)('sessions on $engine (redis: $redis)', (setup) => {
  const prefix = `ta-sessions-${process.pid}-${setup.engine}:`;
  const running: TestApp[] = [];
  let database: TestDatabase | undefined;

  /** A target on a fresh database (PGlite: a new process memory; PostgreSQL: a new database). */
  async function startOnFreshDatabase(): Promise<TestApp> {
    if (setup.engine === 'postgresql') {
      await database?.drop();
      database = await createTestDatabase('sessions');
    }
    return startOnSameDatabase();
  }

  async function startOnSameDatabase(redis: boolean = setup.redis): Promise<TestApp> {
    const app = await startTestApp({
      jwtSecret: SECRET,
      authBcryptCost: 4,
      cacheKeyPrefix: prefix,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      ...(redis ? { redisUrl: TEST_REDIS_URL } : {}),
    });
    running.push(app);
    return app;
  }

  async function stop(app: TestApp): Promise<void> {
    running.splice(running.indexOf(app), 1);
    await app.close();
  }

  const refresh = (app: TestApp, refreshToken: string) =>
    call<TokenPair>(app.url, 'POST', '/api/auth/refresh', { body: { refreshToken } });
  const me = (app: TestApp, token: string) => call(app.url, 'GET', '/api/auth/me', { token });

  beforeAll(async () => {
    if (setup.engine === 'postgresql') database = await createTestDatabase('sessions');
  });

  afterEach(async () => {
    for (const app of running.splice(0)) await app.close();
  });

  afterAll(async () => {
    await database?.drop();
    if (setup.redis) {
      const redis = await connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it("refuses a user's old tokens after a restart on a fresh database, where another user has their id", async () => {
    const before = await startOnFreshDatabase();
    const alice = await signUp(before.url, 'alice');
    await stop(before);

    const after = await startOnFreshDatabase(); // same signing key, database forgotten
    const bob = await signUp(after.url, 'bob');
    expect(bob.id).toBe(alice.id); // the serial id is handed out again: the precondition of the attack

    const replayed = await refresh(after, alice.refreshToken);
    expect(replayed.status).toBe(401);
    expect(replayed.body).not.toHaveProperty('accessToken');
    const asAlice = await me(after, alice.accessToken);
    expect(asAlice.status).toBe(401);
    expect(JSON.stringify(asAlice.body)).not.toContain(bob.email);
    // Bob's own tokens are unaffected.
    expect(await me(after, bob.accessToken)).toMatchObject({ status: 200, body: { email: bob.email } });
    expect((await refresh(after, bob.refreshToken)).status).toBe(200);
  });

  it('logging out with the access token alone ends every refresh token of that session, not others', async () => {
    const t = await startOnSameDatabase();
    const first = await signUp(t.url, 'logout-session');
    const rotated = await refresh(t, first.refreshToken); // same session, new pair
    expect(rotated.status).toBe(200);
    const otherDevice = await call<TokenPair>(t.url, 'POST', '/api/auth/login', {
      body: { email: first.email, password: first.password },
    });
    expect(otherDevice.status).toBe(200);

    const out = await call(t.url, 'POST', '/api/auth/logout', { token: rotated.body.accessToken });
    expect(out.status).toBe(204);
    expect((await refresh(t, rotated.body.refreshToken)).status).toBe(401);
    expect((await me(t, rotated.body.accessToken)).status).toBe(401);
    // The session's earlier access token (issued before the rotation) ends with it.
    expect((await me(t, first.accessToken)).status).toBe(401);
    // Another sign-in of the same user is another session.
    expect((await me(t, otherDevice.body.accessToken)).status).toBe(200);
    expect((await refresh(t, otherDevice.body.refreshToken)).status).toBe(200);
  });

  it('refuses a correctly signed refresh token that was never stored', async () => {
    const t = await startOnSameDatabase();
    const user = await signUp(t.url, 'unstored');
    const claims = JSON.parse(Buffer.from(user.accessToken.split('.')[1] ?? '', 'base64url').toString());
    const forged = await new SignJWT({ typ: 'refresh', sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setJti(randomUUID())
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await refresh(t, forged)).status).toBe(401);
    expect((await refresh(t, user.refreshToken)).status).toBe(200);
  });

  if (setup.engine === 'postgresql') {
    it('gives every user of a database from before public ids their own, and signs them in', async () => {
      const old = await createTestDatabase('sessions_upgrade');
      try {
        const client = new pg.Client({ connectionString: old.url });
        await client.connect();
        const hash = await bcrypt.hash('correct horse battery', 4);
        try {
          // The users table as it was, with two accounts in it.
          await client.query(`CREATE TABLE users (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL UNIQUE,
            password_hash text NOT NULL,
            verify_token_hash text,
            verified_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now()
          )`);
          await client.query('INSERT INTO users (email, password_hash) VALUES ($1, $2), ($3, $2)', [
            'old-1@example.com',
            hash,
            'old-2@example.com',
          ]);
        } finally {
          await client.end();
        }
        const app = await startTestApp({ jwtSecret: SECRET, authBcryptCost: 4, databaseUrl: old.url });
        running.push(app);
        const subjects = [];
        for (const email of ['old-1@example.com', 'old-2@example.com']) {
          const login = await call<TokenPair>(app.url, 'POST', '/api/auth/login', {
            body: { email, password: 'correct horse battery' },
          });
          expect(login.status).toBe(200);
          expect(await me(app, login.body.accessToken)).toMatchObject({ status: 200, body: { email } });
          const claims = JSON.parse(
            Buffer.from(login.body.accessToken.split('.')[1] ?? '', 'base64url').toString(),
          );
          subjects.push(claims.sub);
        }
        expect(new Set(subjects).size).toBe(2);
        await stop(app);
      } finally {
        await old.drop();
      }
    });

    it('keeps a logout across a restart without Redis: the access token stays refused', async () => {
      const before = await startOnSameDatabase(false);
      const user = await signUp(before.url, 'logout-restart');
      const out = await call(before.url, 'POST', '/api/auth/logout', { token: user.accessToken });
      expect(out.status).toBe(204);
      await stop(before);
      const after = await startOnSameDatabase(false); // in-process revocations forgotten
      expect(await me(after, user.accessToken)).toMatchObject({
        status: 401,
        body: { error: 'access token revoked' },
      });
      expect((await refresh(after, user.refreshToken)).status).toBe(401);
    });

    it('keeps refresh tokens across a restart on the same database: live ones work, spent ones stay spent', async () => {
      const before = await startOnSameDatabase();
      const user = await signUp(before.url, 'restart');
      const rotated = await refresh(before, user.refreshToken);
      expect(rotated.status).toBe(200);
      await stop(before);
      const after = await startOnSameDatabase();
      expect((await refresh(after, user.refreshToken)).status).toBe(401);
      expect((await refresh(after, rotated.body.refreshToken)).status).toBe(200);
    });
  }
});
