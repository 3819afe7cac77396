// Issue 15 item 13: registration must not tell a stranger which e-mail addresses have an account. The
// attack: register a list of addresses and read the answers (status, body, or time taken). A taken
// address must get the answer a new one gets, at about the same cost (the password is hashed either
// way), and its owner a mail saying someone tried. On PGlite (mail to a webhook) and on PostgreSQL
// (mail read from the outbox table). A real bcrypt cost here, so the hash dominates the timing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { call, uniqueEmail, until } from './auth-client.ts';
import { startMailbox } from './mailbox.ts';

const SETUPS = [
  { engine: 'pglite', mail: 'webhook' },
  { engine: 'postgresql', mail: 'outbox' },
] as const;

type Mail = { to: string; subject: string; text: string };

describe.each(SETUPS)('registration privacy on $engine (mail: $mail)', (setup) => {
  let t: TestApp;
  let database: TestDatabase | undefined;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  const register = (email: string, password: string) =>
    call(t.url, 'POST', '/api/auth/register', { body: { email, password } });

  /** The mails delivered to `email`, from wherever this setup delivers them. */
  async function mailsTo(email: string): Promise<Mail[]> {
    if (setup.mail === 'webhook') return mailbox.received.filter((mail) => mail.to === email);
    const client = new pg.Client({ connectionString: database?.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ subject: string; body: string }>(
        "SELECT subject, body FROM email_outbox WHERE recipient = $1 AND delivered_to = 'outbox' ORDER BY id",
        [email],
      );
      return rows.map((row) => ({ to: email, subject: row.subject, text: row.body }));
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    mailbox = await startMailbox();
    if (setup.engine === 'postgresql') database = await createTestDatabase('registration_privacy');
    t = await startTestApp({
      jwtSecret: 'registration-privacy-secret-of-32-characters',
      authBcryptCost: 10,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      ...(setup.mail === 'webhook' ? { mailWebhookUrl: mailbox.url } : {}),
    });
  });

  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
    await database?.drop();
  });

  it('answers a taken address exactly as a new one', async () => {
    const taken = uniqueEmail('taken');
    expect((await register(taken, 'owner password 1')).status).toBe(201);
    const fresh = uniqueEmail('fresh');
    const forNew = await register(fresh, 'prober password');
    const forTaken = await register(taken, 'prober password');
    const forTakenOtherCase = await register(taken.toUpperCase(), 'prober password');
    for (const reply of [forNew, forTaken, forTakenOtherCase]) {
      expect(reply.status).toBe(201);
      expect(reply.headers.get('content-type')).toBe(forNew.headers.get('content-type'));
      expect(Object.keys(reply.body).sort()).toEqual(['email', 'verified']);
      expect(reply.body.verified).toBe(false);
    }
    // The body only echoes the address asked about.
    expect(forTaken.body).toEqual({ ...forNew.body, email: taken });
    expect(forTakenOtherCase.body).toEqual(forTaken.body);
  });

  it("mails the owner of a taken address, and leaves the owner's account alone", async () => {
    const owner = uniqueEmail('owner');
    expect((await register(owner, 'owner password 1')).status).toBe(201);
    expect((await register(owner, 'prober password')).status).toBe(201);
    const mails = await until(async () => {
      const found = await mailsTo(owner);
      return found.length >= 2 ? found : undefined;
    });
    expect(mails.map((mail) => mail.subject)).toEqual([
      'Confirm your e-mail address',
      'Someone tried to register with your address',
    ]);
    expect(mails[1]?.text).not.toMatch(/token=/); // nothing that would let the prober in
    const login = (password: string) =>
      call(t.url, 'POST', '/api/auth/login', { body: { email: owner, password } });
    expect((await login('prober password')).status).toBe(401);
    expect((await login('owner password 1')).status).toBe(200);
  });

  it('takes about as long for a taken address as for a new one (the password is hashed either way)', async () => {
    const taken = uniqueEmail('timed');
    expect((await register(taken, 'owner password 1')).status).toBe(201);
    const durations = { new: [] as number[], taken: [] as number[] };
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await register(email, 'prober password')).status).toBe(201);
      return performance.now() - started;
    };
    // Interleaved, so the machine's load drifts over both alike.
    for (let i = 0; i < 6; i++) {
      durations.new.push(await timed(uniqueEmail('timed-new')));
      durations.taken.push(await timed(taken));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
    const ratio = median(durations.taken) / median(durations.new);
    // A bcrypt hash at cost 10 dominates both; skipping it for a taken address would make that one
    // several times faster (well under 0.5).
    expect(ratio, JSON.stringify(durations)).toBeGreaterThan(0.5);
    expect(ratio, JSON.stringify(durations)).toBeLessThan(2);
  });
});
