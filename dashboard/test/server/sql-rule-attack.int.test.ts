// The raw `sql:` rule attack of issue 15 against the real dashboard process (embedded chDB,
// collector, alert loop): rules that read the session key file into a label, smuggle SETTINGS or a
// second statement in a heredoc, fetch a URL, or hang on a host that never answers. Each is refused
// by ClickHouse's parser before it runs: the secret appears nowhere, no request reaches either
// server, no table is created, and a harmless rule beside them keeps being evaluated.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSecretFile } from '../../src/server/auth/bootstrap.ts';
import { cookieOf, type DashboardServer, mutate, startDashboardServer } from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [VIEWER] = TEST_USERS;
let dir: string;
let dashboard: DashboardServer;
let urlHits = 0;
const hungSockets: Socket[] = [];
const fetched = createHttpServer((_, res) => {
  urlHits++;
  res.end('1\n');
});
/** Accepts connections and never answers: the "host down" that hung the dashboard for minutes. */
const hung = createTcpServer((socket) => hungSockets.push(socket));
const port = (server: { address(): unknown }) => (server.address() as AddressInfo).port;

const attackRules = (secretPath: string) => `groups:
  - name: attack
    interval: 1s
    rules:
      - alert: LeakSessionSecret
        sql: "SELECT file('${secretPath}') AS secret, 1 AS value"
        window: 10s
        op: ">"
        threshold: 0
      - alert: HeredocSettings
        sql: "SELECT $$x$$ AS value SETTINGS readonly = 0"
        window: 10s
        op: ">"
        threshold: 0
      - alert: SecondStatement
        sql: "SELECT $$;$$ AS value; CREATE TABLE pwned (a UInt8) ENGINE = Memory"
        window: 10s
        op: ">"
        threshold: 0
      - alert: FetchUrl
        sql: "SELECT count() AS value FROM url('http://127.0.0.1:${port(fetched)}/x', 'LineAsString')"
        window: 10s
        op: ">"
        threshold: 0
      - alert: HangOnHost
        sql: "SELECT count() AS value FROM url('http://127.0.0.1:${port(hung)}/x', 'LineAsString')"
        window: 10s
        op: ">"
        threshold: 0
      - alert: Harmless
        sql: "SELECT count() AS value FROM otel_traces WHERE Timestamp >= {from:DateTime64(3)}"
        window: 10s
        op: ">"
        threshold: 0
`;

interface RuleView {
  name: string;
  lastEvalAt: number | null;
  lastError: string | null;
}

/** The first alerts snapshot of the live stream (SSE), as a browser receives it. */
async function alertsSnapshot(cookie: string): Promise<{ text: string; rules: RuleView[] }> {
  const controller = new AbortController();
  const res = await fetch(`${dashboard.url}/api/trpc/alerts.live`, {
    headers: { cookie },
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let data: string | undefined;
  while (data === undefined) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    data = /\ndata: (\{"at".*)\n/.exec(text)?.[1];
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return { text, rules: (JSON.parse(data ?? '{"rules":[]}') as { rules: RuleView[] }).rules };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-sql-attack-'));
  await new Promise<void>((resolve) => fetched.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  writeFileSync(join(rulesDir, 'attack.yaml'), attackRules(sessionSecretFile(dir)));
  dashboard = await startDashboardServer(dir, { DASHBOARD_USERS: await testUsersEnv(), RULES_DIR: rulesDir });
});

afterAll(async () => {
  await dashboard?.stop();
  fetched.close();
  for (const socket of hungSockets) socket.destroy();
  hung.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('raw sql rules against the running dashboard', () => {
  it('refuses every attack before it runs, and keeps evaluating the harmless rule', async () => {
    const signIn = await mutate(dashboard.url, 'auth.signIn', {
      name: VIEWER.name,
      password: VIEWER.password,
    });
    const cookie = cookieOf(signIn);
    expect(cookie).not.toBeNull();
    const secret = readFileSync(sessionSecretFile(dir), 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);

    // Until every rule has been evaluated at least twice (interval 1s).
    let snapshot = await alertsSnapshot(cookie!);
    const started = Date.now();
    const evaluatedOnce = (s: typeof snapshot) =>
      s.rules.length === 6 && s.rules.every((r) => r.lastEvalAt !== null && r.lastEvalAt > started);
    for (let i = 0; i < 60 && !evaluatedOnce(snapshot); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      snapshot = await alertsSnapshot(cookie!);
    }
    const byName = Object.fromEntries(snapshot.rules.map((r) => [r.name, r]));
    expect(byName.Harmless).toMatchObject({ lastError: null });
    expect(byName.Harmless?.lastEvalAt).toBeGreaterThan(started);
    expect(byName.LeakSessionSecret?.lastError).toMatch(/must not call file\(\)/);
    expect(byName.HeredocSettings?.lastError).toMatch(/must not set SETTINGS/);
    expect(byName.SecondStatement?.lastError).toMatch(/Multi-statements/);
    expect(byName.FetchUrl?.lastError).toMatch(/table function url\(\)/);
    expect(byName.HangOnHost?.lastError).toMatch(/table function url\(\)/);
    expect(snapshot.text).not.toContain(secret);
    expect(urlHits).toBe(0);
    expect(hungSockets).toHaveLength(0);
  });

  it('stops, and the smuggled statement created nothing', async () => {
    await dashboard.stop();
    const store = await createStore({ dataDir: join(dir, 'chdb'), migrate: false });
    try {
      const result = await store.client.query({
        query: "SELECT count() AS n FROM system.tables WHERE name = 'pwned'",
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([{ n: 0 }]);
    } finally {
      await store.close();
    }
  });
});
