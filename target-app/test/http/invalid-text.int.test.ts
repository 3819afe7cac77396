// Issue 15 item 9: text PostgreSQL cannot store or compare (a NUL byte, a lone UTF-16 surrogate, bytes
// that are not UTF-8) sent in a query parameter or a JSON body string gets 400 with the reason, not a
// 500 from the database. On PGlite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const ENGINES = ['pglite', 'postgresql'] as const;

// Each is refused wherever it appears; the reason names what is wrong.
const BAD_QUERY_TEXT = [
  { encoded: '%00', reason: /NUL character/ },
  { encoded: 'golf%00', reason: /NUL character/ },
  { encoded: '%ff', reason: /percent-encoding/ }, // a byte that is not UTF-8
  { encoded: '%e2%82', reason: /percent-encoding/ }, // a truncated UTF-8 sequence
  { encoded: '%ed%a0%80', reason: /percent-encoding/ }, // a UTF-16 surrogate encoded as UTF-8
  { encoded: '%c0%80', reason: /percent-encoding/ }, // an overlong NUL
] as const;

const QUERY_ROUTES = [
  (v: string) => `/api/cars?q=${v}`,
  (v: string) => `/api/cars?make=${v}`,
  (v: string) => `/api/cars?${v}=1`,
  (v: string) => `/api/auth/verify?token=${v}`,
  (v: string) => `/api/recommendations?make=${v}`,
];

describe.each(ENGINES)('invalid text on %s', (engine) => {
  let t: TestApp;
  let database: TestDatabase | undefined;

  async function post(path: string, body: string | Buffer) {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error: string; issues?: unknown } };
  }

  beforeAll(async () => {
    if (engine === 'postgresql') database = await createTestDatabase('invalid_text');
    t = await startTestApp({
      authBcryptCost: 4,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
    });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('answers 400 with the reason for a NUL byte or invalid UTF-8 in a query parameter', async () => {
    for (const route of QUERY_ROUTES) {
      for (const { encoded, reason } of BAD_QUERY_TEXT) {
        const path = route(encoded);
        const reply = await t.get<{ error: string; issues?: { path: string; message: string }[] }>(path);
        expect(reply.status, path).toBe(400);
        expect(JSON.stringify(reply.body), path).toMatch(reason);
      }
    }
    // The web search page reads the same parameters.
    expect((await fetch(`${t.url}/?q=%00`)).status).toBe(400);
  });

  it('still serves valid non-ASCII text and a percent sign', async () => {
    expect((await t.get('/api/cars?q=caf%C3%A9')).status).toBe(200);
    expect((await t.get('/api/cars?q=100%25')).status).toBe(200);
    expect((await t.get('/api/cars?q=%F0%9F%9A%97+golf')).status).toBe(200);
  });

  it('answers 400 for a NUL byte, a lone surrogate or non-UTF-8 bytes in a JSON body string', async () => {
    const email = `nul-${process.pid}-${engine}@example.com`;
    const bodies = [
      { text: JSON.stringify({ email, password: 'before\u0000after nul' }), reason: /NUL character/ },
      { text: '{"email":"x@example.com","password":"lone \\ud800 surrogate"}', reason: /surrogate/ },
      { text: JSON.stringify({ email: 'x\u0000@example.com', password: 'long enough 1' }), reason: /NUL/ },
    ];
    for (const { text, reason } of bodies) {
      for (const path of ['/api/auth/register', '/api/auth/login']) {
        const reply = await post(path, text);
        expect(reply.status, `${path} ${text}`).toBe(400);
        expect(JSON.stringify(reply.body)).toMatch(reason);
      }
    }
    const latin1 = Buffer.concat([
      Buffer.from(`{"email":"${email}","password":"caf`),
      Buffer.from([0xe9]),
      Buffer.from(' au lait"}'),
    ]);
    const notUtf8 = await post('/api/auth/register', latin1);
    expect(notUtf8).toMatchObject({ status: 400, body: { error: expect.stringMatching(/UTF-8/) } });
    // None of them created the account: a clean registration of the address still works.
    const clean = await post('/api/auth/register', JSON.stringify({ email, password: 'long enough 1' }));
    expect(clean.status).toBe(201);
    const login = await post('/api/auth/login', JSON.stringify({ email, password: 'before' }));
    expect(login.status).toBe(401);
  });
});
