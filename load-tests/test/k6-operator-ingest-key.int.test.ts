// A k6-operator TestRun against a collector that requires ingest keys: the manifest names a Secret,
// never the key, and the runner pods' environment — expanded as the kubelet does it (a secretKeyRef
// becomes the Secret's value, `$(NAME)` the value of a variable listed before it) — makes a real k6
// send the key, so its metrics are stored instead of refused with 401.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveK6Path } from '../src/k6-binary.ts';
import { type EnvVar, testRunManifest } from '../src/k6-operator.ts';
import { type KeyedCollector, startKeyedCollector } from './helpers/keyed-collector.ts';

const KEY = 'operator-ingest-key-0123456789';
const SECRET = { name: 'collector-ingest', key: 'api-key' };
let loop: KeyedCollector;
beforeAll(async () => {
  loop = await startKeyedCollector(KEY, 'k6-operator-key-');
});
afterAll(async () => {
  await loop?.close();
});

/** A pod's environment from the manifest's env list, as the kubelet builds it. */
function podEnv(env: EnvVar[], secrets: Record<string, Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    if ('valueFrom' in e) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) throw new Error(`secret ${name}/${key} missing`);
      out[e.name] = value;
    } else out[e.name] = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => out[v] ?? m);
  }
  return out;
}

function runK6(env: Record<string, string>, runId: string): Promise<number | null> {
  const script = join(loop.dir, 'ping.js');
  writeFileSync(
    script,
    `import http from 'k6/http';
export const options = { vus: 1, duration: '3s' };
export default function () { http.get('${loop.target.url}/health'); }
`,
  );
  return new Promise((resolve) => {
    const child = spawn(
      resolveK6Path(),
      ['run', '--quiet', '--no-usage-report', '--out', 'opentelemetry', '--tag', `run_id=${runId}`, script],
      { env: { PATH: process.env.PATH ?? '', HOME: loop.dir, ...env }, stdio: 'ignore' },
    );
    child.on('close', resolve);
  });
}

const manifest = () =>
  testRunManifest({
    scenario: 'smoke',
    params: { target: loop.target.url, vus: 1, duration: '3s' },
    targets: [loop.target.url],
    runId: 'run_operator_key',
    collectorEndpoint: `127.0.0.1:${loop.collector.port}`,
    parallelism: 1,
    ingestKeySecret: SECRET,
  });

test('the manifest refers to the Secret and never holds the key', () => {
  const m = manifest();
  expect(JSON.stringify(m)).not.toContain(KEY);
  expect(m.spec.runner.env[0]).toEqual({ name: 'COLLECTOR_API_KEY', valueFrom: { secretKeyRef: SECRET } });
  expect(() =>
    testRunManifest({ ...manifestInput(), ingestKeySecret: { name: 'Bad Name', key: 'k' } }),
  ).toThrow(/Secret name/);
});

function manifestInput() {
  return {
    scenario: 'smoke',
    params: { target: loop.target.url },
    targets: [loop.target.url],
    runId: 'run_x',
    collectorEndpoint: '127.0.0.1:4318',
    parallelism: 1,
  };
}

test("a pod with the Secret's key gets its metrics stored; a wrong key is refused", async () => {
  const env = manifest().spec.runner.env;
  expect(await runK6(podEnv(env, { [SECRET.name]: { [SECRET.key]: KEY } }), 'run_operator_key')).toBe(0);
  expect(await loop.storedPoints('run_operator_key')).toBeGreaterThan(0);
  expect(loop.collector.stats().unauthorizedRequests).toBe(0);

  await runK6(podEnv(env, { [SECRET.name]: { [SECRET.key]: 'not-the-key' } }), 'run_operator_wrong');
  expect(await loop.storedPoints('run_operator_wrong')).toBe(0);
  expect(loop.collector.stats().unauthorizedRequests).toBeGreaterThan(0);
}, 60_000);
