// The smoke CLI as a person runs it: real node process, real k6, the real target-app whose chaos
// controls answer 500 to every API request.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');
let failing: TestTarget;

beforeAll(async () => {
  failing = await startTestTarget({ chaos: { errorRate: 1 } });
});
afterAll(async () => {
  await failing?.close();
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('prints progress and the result, and exits 99 when thresholds fail', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lt-cli-'));
  const { code, stdout } = await runCli([
    'smoke',
    '--target',
    failing.url,
    '--vus',
    '1',
    '--duration',
    '3s',
    '--runs-dir',
    runsDir,
  ]);
  expect(stdout).toMatch(
    /\[running\] {2}1 VUs {2}\d+ reqs {2}[\d.]+ req\/s {2}p95 [\d.]+ ms {2}errors 100\.00 %/,
  );
  expect(stdout).toContain('FAIL http_req_failed rate<0.001');
  expect(stdout).toContain('thresholds FAILED');
  expect(code).toBe(99);
});

test('bad arguments are refused with the field named', async () => {
  const { code, stderr } = await runCli(['smoke', '--target', failing.url, '--vus', '500']);
  expect(code).toBe(2);
  expect(stderr).toContain('invalid vus');
});

test('--segments 2 runs two k6 processes together and prints one aggregated result', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'lt-cli-'));
  const { code, stdout } = await runCli([
    'load',
    '--target',
    failing.url,
    '--scale',
    '0.0002',
    '--duration',
    '3s',
    '--segments',
    '2',
    '--runs-dir',
    runsDir,
  ]);
  expect(stdout).toContain('2 segments');
  expect(stdout).toContain('segment 0:1/2: k6 exit 99');
  expect(stdout).toContain('segment 1/2:1: k6 exit 99');
  expect(stdout).toMatch(/errors 100\.00 %/);
  expect(stdout).toContain('thresholds FAILED');
  expect(code).toBe(99);
});
