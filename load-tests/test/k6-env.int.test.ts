// A k6 process gets only the environment it needs: the launcher's process holds secrets (the
// target's JWT secret, dashboard users, session key, collector keys, a k6 cloud token) and a load
// script must see none of them — neither in its __ENV nor in the k6 process's own environment.
// Real k6 runs, through the command builder the launcher uses and through the launcher itself.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findFreePort } from '../src/free-port.ts';
import { resolveK6Path } from '../src/k6-binary.ts';
import { buildK6Command, spawnK6 } from '../src/k6-process.ts';
import { createK6RestClient } from '../src/k6-rest.ts';
import { createLauncher } from '../src/launcher.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';
import { waitFor } from './helpers/wait.ts';

/** What a dashboard process has in its environment, as the attack found it inherited by k6. */
const SECRETS = {
  JWT_SECRET: 'parent-jwt-secret-never-for-k6-0123456789',
  DASHBOARD_USERS: 'admin:admin:scrypt$parent-hash-never-for-k6',
  SESSION_SECRET: 'parent-session-secret-never-for-k6-0123456789',
  COLLECTOR_API_KEYS: 'parent-collector-key-never-for-k6',
  K6_CLOUD_TOKEN: 'parent-cloud-token-never-for-k6',
  OTEL_EXPORTER_OTLP_HEADERS: 'authorization=parent-otel-header-never-for-k6',
};
const saved: Record<string, string | undefined> = {};
let target: TestTarget;
let dir: string;

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  target = await startTestTarget();
  dir = mkdtempSync(join(tmpdir(), 'k6-env-'));
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await target?.close();
});

/** A process's environment as the kernel has it (what `ps e` or a script's child would see). */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function expectNoSecret(text: string): void {
  for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
}

test("the script's __ENV holds its parameters only, and the k6 process only allowlisted variables", async () => {
  const script = join(dir, 'dump-env.js');
  writeFileSync(
    script,
    `import { sleep } from 'k6';
export const options = { vus: 1, duration: '3s' };
export default function () { sleep(0.2); }
export function handleSummary() { return { [__ENV.SUMMARY_PATH]: JSON.stringify({ env: __ENV }) }; }
`,
  );
  const apiAddress = `127.0.0.1:${await findFreePort()}`;
  const summaryPath = join(dir, 'summary.json');
  const { args, env } = buildK6Command({
    script,
    runId: 'run_env_test',
    apiAddress,
    params: { vus: 1, duration: '3s', target: target.url },
    summaryPath,
    // A closed port: the OTLP settings must reach k6 all the same (export errors do not fail a run).
    otlpEndpoint: '127.0.0.1:9',
  });
  const proc = spawnK6({
    k6Path: resolveK6Path(),
    args,
    env,
    cwd: dir,
    logPath: join(dir, 'k6.log'),
    onLine: () => {},
  });
  // Once the REST API answers, the process is k6 itself (not the forked launcher before exec).
  const rest = createK6RestClient(apiAddress);
  for (let up = false; !up; ) {
    up = await rest.getStatus().then(
      () => true,
      () => sleep(100).then(() => false),
    );
  }
  const seen = environOf(proc.pid!);
  const exit = await proc.exited;
  expect(exit.code).toBe(0);

  expectNoSecret(JSON.stringify(seen));
  expect(Object.keys(seen).filter((k) => k in SECRETS)).toEqual([]);
  expect(seen.PATH).toBe(process.env.PATH);
  expect(seen).toMatchObject({
    K6_OTEL_HTTP_EXPORTER_ENDPOINT: '127.0.0.1:9',
    K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf',
  });
  const allowed =
    /^(PATH|HOME|TMPDIR|TZ|LANG|SSL_CERT_FILE|SSL_CERT_DIR|K6_OTEL_\w+|OTEL_EXPORTER_OTLP_METRICS_\w+)$/;
  expect(Object.keys(seen).filter((k) => !allowed.test(k))).toEqual([]);

  const summary = readFileSync(summaryPath, 'utf8');
  expectNoSecret(summary);
  expect(Object.keys((JSON.parse(summary) as { env: Record<string, string> }).env).sort()).toEqual([
    'BASE_URL',
    'DURATION',
    'SUMMARY_PATH',
    'VUS',
  ]);
});

/** The pid of the k6 process whose command line carries this run id. */
function k6PidOf(runId: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(`run_id=${runId}`) && cmdline.includes('--address')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

test('a run launched through the launcher inherits none of its secrets', async () => {
  const launcher = createLauncher({
    targets: [target.url],
    runsDir: join(dir, 'runs'),
    otlpEndpoint: '127.0.0.1:9',
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '3s' } });
  await waitFor('the run to be running', () => launcher.get(run.id)?.state === 'running');
  const pid = await waitFor('the k6 process', () => k6PidOf(run.id));
  const seen = environOf(pid);
  await launcher.whenEnded(run.id);
  await launcher.close();
  expectNoSecret(JSON.stringify(seen));
  expect(seen.K6_OTEL_HTTP_EXPORTER_ENDPOINT).toBe('127.0.0.1:9');
});
