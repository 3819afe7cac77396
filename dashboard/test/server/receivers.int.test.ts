// Receivers added in the UI, against the real dashboard process (Next + tRPC + alert engine + chDB):
// a viewer is refused; bad input is refused with the field's reason and adds nothing; an admin's
// webhook receiver gets a test notification and a real alert on a loopback HTTP server, from the
// next alert on and without a restart, while a severity-filtered one does not; edits and removal take
// effect at once; the routing file's webhook is tested by name (an unset one refused with why); no
// answer carries the secret, and after the process stops the stored row (read from
// the chDB directory by this test) holds only ciphertext that opens with DATA_DIR/receivers.key.
// Started again with another RECEIVERS_KEY, the receiver is listed as unreadable instead of crashing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, parseReceiversKey } from '../../src/server/receivers/secret-box.ts';
import {
  type DashboardServer,
  mutate,
  send,
  signInSession,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const SECRET = 'T0KEN-s3cret-4f9a';
let dir: string;
let hook: Server;
let hookUrl: string;
const received: { path: string; body: { alerts?: { labels: Record<string, string> }[] } }[] = [];
let usersEnv: string;
let opsHook: View;
const url = () => `${hookUrl}/hook/${SECRET}`;
let rulesDir: string;
const servers: DashboardServer[] = [];

const user = (role: 'viewer' | 'admin') => TEST_USERS.find((u) => u.role === role)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-receivers-'));
  rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  writeFileSync(
    join(rulesDir, 'level.yaml'),
    `groups:
  - name: receivers-test
    interval: 1s
    rules:
      - alert: ReceiverLevelHigh
        metric: test.receiver.level
        kind: gauge
        stat: last
        service: receivers-test
        window: 30s
        op: ">"
        threshold: 1
        labels: { severity: page }
`,
  );
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(body || '{}') });
      res.writeHead(202, { 'content-type': 'text/plain' }).end('thanks, queued');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  usersEnv = await testUsersEnv();
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.stop();
  await new Promise((resolve) => hook?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<DashboardServer> {
  const server = await startDashboardServer(join(dir, 'data'), {
    DASHBOARD_USERS: usersEnv,
    RULES_DIR: rulesDir,
    ...env,
  });
  servers.push(server);
  return server;
}

const query = async (base: string, path: string, cookie: string) => {
  const answer = await send(`${base}/api/trpc/${path}`, { headers: { cookie } });
  return { status: answer.status, text: answer.body, json: JSON.parse(answer.body) };
};

interface View {
  id: string | null;
  name: string;
  hint: string | null;
  source: { type: string; createdBy?: string };
  problem: string | null;
}

const hits = (path: string, alertname: string) =>
  received.filter((r) => r.path === path && r.body.alerts?.some((a) => a.labels.alertname === alertname));

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('receivers added in the UI', () => {
  it('reach a loopback receiver (test and real alert), take edits at once, and are stored sealed', async () => {
    const server = await start({ ALERT_WEBHOOK_URL: `${hookUrl}/env-hook` });
    const admin = await signInSession(server.url, user('admin').name, user('admin').password);
    const viewer = await signInSession(server.url, user('viewer').name, user('viewer').password);

    // A viewer is refused, reading as changing.
    expect((await query(server.url, 'receivers.list', viewer)).status).toBe(403);
    const refused = await mutate(
      server.url,
      'receivers.add',
      { kind: 'webhook', name: 'x', url: url() },
      { cookie: viewer },
    );
    expect(refused.status).toBe(403);

    // Bad input: the reason, and nothing added.
    const badSlack = await mutate(
      server.url,
      'receivers.add',
      { kind: 'slack', name: 'chat', url: 'http://hooks.slack.com/services/x' },
      { cookie: admin },
    );
    expect(badSlack.status).toBe(400);
    expect(badSlack.body).toContain('a Slack incoming-webhook URL starts with https://');
    const badKey = await mutate(
      server.url,
      'receivers.add',
      { kind: 'pagerduty', name: 'pd', routingKey: 'short' },
      { cookie: admin },
    );
    expect(badKey.body).toContain('a PagerDuty routing key is 32 letters or digits');
    const taken = await mutate(
      server.url,
      'receivers.add',
      { kind: 'webhook', name: 'webhook', url: url() },
      { cookie: admin },
    );
    expect(taken.status).toBe(409);
    const before = (await query(server.url, 'receivers.list', admin)).json.result.data.receivers as View[];
    expect(before.map((r) => [r.name, r.source.type])).toEqual([
      ['webhook', 'file'],
      ['slack', 'file'],
      ['pagerduty', 'file'],
    ]);

    const added = await mutate(
      server.url,
      'receivers.add',
      { kind: 'webhook', name: 'ops-hook', url: url() },
      { cookie: admin },
    );
    expect(added.status).toBe(200);
    expect(added.body).not.toContain(SECRET);
    opsHook = JSON.parse(added.body).result.data as View;
    expect(opsHook).toMatchObject({ name: 'ops-hook', hint: `${new URL(hookUrl).host}/…`, problem: null });
    const tickets = await mutate(
      server.url,
      'receivers.add',
      { kind: 'webhook', name: 'tickets-only', url: `${hookUrl}/tickets`, severity: 'ticket' },
      { cookie: admin },
    );
    expect(tickets.status).toBe(200);
    const listed = await query(server.url, 'receivers.list', admin);
    expect(listed.text).not.toContain(SECRET);
    expect(listed.json.result.data.receivers.find((r: View) => r.name === 'ops-hook').source).toMatchObject({
      type: 'ui',
      createdBy: user('admin').name,
    });

    // The test notification goes through the real receiver code; the answer comes back.
    const tested = await mutate(server.url, 'receivers.test', { id: opsHook.id }, { cookie: admin });
    expect(JSON.parse(tested.body).result.data).toEqual({
      ok: true,
      httpStatus: 202,
      body: 'thanks, queued',
      error: null,
    });
    expect(hits(`/hook/${SECRET}`, 'TestNotification')).toHaveLength(1);

    // The routing file's webhook (ALERT_WEBHOOK_URL) is tested by name; an unset one is refused with why.
    const fileTest = await mutate(server.url, 'receivers.test', { file: 'webhook' }, { cookie: admin });
    expect(JSON.parse(fileTest.body).result.data).toMatchObject({ ok: true, httpStatus: 202 });
    expect(hits('/env-hook', 'TestNotification')).toHaveLength(1);
    const offTest = await mutate(server.url, 'receivers.test', { file: 'slack' }, { cookie: admin });
    expect(offTest.status).toBe(400);
    expect(offTest.body).toContain('slack is off: environment variable SLACK_WEBHOOK_URL is not set');

    // A real alert, firing after the receiver was added: it arrives; the ticket-only receiver gets nothing.
    const level = await send(`${server.collectorUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gaugeBody(5)),
    });
    expect(level.status).toBe(200);
    await until(
      'the firing alert at ops-hook',
      () => hits(`/hook/${SECRET}`, 'ReceiverLevelHigh').length > 0,
    );
    expect(hits('/tickets', 'ReceiverLevelHigh')).toHaveLength(0);

    // Edited (a new URL) and tested: the new URL answers. Removed: gone from the list and the engine.
    const edited = await mutate(
      server.url,
      'receivers.edit',
      {
        id: opsHook.id,
        receiver: { kind: 'webhook', name: 'ops-hook', url: `${hookUrl}/hook2`, severity: 'page' },
      },
      { cookie: admin },
    );
    expect(edited.status).toBe(200);
    await mutate(server.url, 'receivers.test', { id: opsHook.id }, { cookie: admin });
    expect(hits('/hook2', 'TestNotification')).toHaveLength(1);
    // Another kind needs its own secret: the stored one is sealed to the old kind.
    const kindOnly = await mutate(
      server.url,
      'receivers.edit',
      { id: opsHook.id, receiver: { kind: 'slack', name: 'ops-hook' } },
      { cookie: admin },
    );
    expect(kindOnly.status).toBe(400);
    expect(kindOnly.body).toContain('changing the kind to slack needs its URL');
    const ticketsId = JSON.parse(tickets.body).result.data.id as string;
    expect((await mutate(server.url, 'receivers.remove', { id: ticketsId }, { cookie: admin })).status).toBe(
      200,
    );
    const after = (await query(server.url, 'receivers.list', admin)).json.result.data.receivers as View[];
    expect(after.map((r) => r.name)).toEqual(['webhook', 'slack', 'pagerduty', 'ops-hook']);
    await server.stop();
  }, 120_000);

  it('lists a receiver whose key is lost as unreadable, and the dashboard runs on', async () => {
    const server = await start({ RECEIVERS_KEY: Buffer.alloc(32, 7).toString('base64') });
    const admin = await signInSession(server.url, user('admin').name, user('admin').password);
    const listed = await query(server.url, 'receivers.list', admin);
    const ops = (listed.json.result.data.receivers as View[]).find((r) => r.name === 'ops-hook');
    expect(ops?.problem).toMatch(/^its secret cannot be read \(sealed with another key/);
    const tested = await mutate(server.url, 'receivers.test', { id: ops?.id }, { cookie: admin });
    expect(tested.status).toBe(400);
    expect(tested.body).toContain('ops-hook: its secret cannot be read');
    await server.stop();
  }, 90_000);

  it('stores ciphertext only, sealed with DATA_DIR/receivers.key, and audits without secrets', async () => {
    // Read by this test once the dashboard process is gone (chDB locks its directory to one process).
    const keyFile = join(dir, 'data', 'receivers.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const store = await createStore({ dataDir: join(dir, 'data', 'chdb'), migrate: false });
    try {
      const rows = await (
        await store.client.query({
          query: 'SELECT * FROM cp_receivers ORDER BY UpdatedAt',
          format: 'JSONEachRow',
        })
      ).json<Record<string, string | number>>();
      // Every row ever written (merges may have folded some): none holds a URL in the clear.
      expect(rows.length).toBeGreaterThanOrEqual(2);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('/hook');
      expect(text).not.toContain('/tickets');
      // The current row of each opens with the key file, to the URL last entered.
      const box = createSecretBox(parseReceiversKey(readFileSync(keyFile, 'utf8')));
      const current = await (
        await store.client.query({
          query: 'SELECT * FROM cp_receivers FINAL ORDER BY Name',
          format: 'JSONEachRow',
        })
      ).json<Record<string, string | number>>();
      const opened = current.map((r) => {
        expect(Buffer.from(String(r.SecretIv), 'base64')).toHaveLength(12);
        expect(Buffer.from(String(r.SecretTag), 'base64')).toHaveLength(16);
        const sealed = {
          cipher: String(r.SecretCipher),
          iv: String(r.SecretIv),
          tag: String(r.SecretTag),
          keyId: String(r.KeyId),
        };
        return [r.Name, r.Deleted, box.open(sealed, `${r.ReceiverId}:${r.Kind}`)];
      });
      expect(opened).toEqual([
        ['ops-hook', 0, `${hookUrl}/hook2`],
        ['tickets-only', 1, `${hookUrl}/tickets`],
      ]);
      const audit = await (
        await store.client.query({
          query: "SELECT Action, Details FROM cp_audit_log WHERE Action LIKE 'receiver.%' ORDER BY At",
          format: 'JSONEachRow',
        })
      ).json<{ Action: string; Details: string }>();
      expect(audit.map((a) => a.Action)).toEqual([
        'receiver.add',
        'receiver.add',
        'receiver.test',
        'receiver.test',
        'receiver.edit',
        'receiver.test',
        'receiver.remove',
      ]);
      expect(JSON.stringify(audit)).not.toContain(SECRET);
    } finally {
      await store.close();
    }
  }, 60_000);
});

/** One gauge point of test.receiver.level for service receivers-test, as OTLP/JSON. */
function gaugeBody(value: number) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'receivers-test' } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              {
                name: 'test.receiver.level',
                gauge: {
                  dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asDouble: value }],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}
