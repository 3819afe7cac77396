// `cli.ts experiment …` as a person runs it: a real node process, real k6, the real target-app whose
// /admin/chaos the experiment switches.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Experiment } from '../../src/experiments/model.ts';
import { startTestTarget, TEST_ADMIN_TOKEN, type TestTarget } from '../helpers/test-target.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'lt-exp-cli-'));
let target: TestTarget;

beforeAll(async () => {
  target = await startTestTarget();
});
afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
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

const FILE = `
name: cli-tiny
scenario: smoke
params: { vus: 2, duration: 3s }
repeats: 2
settingsResource: /admin/chaos
variants:
  - { name: slow, settings: { latencyMs: 30 } }
  - { name: fast, settings: { latencyMs: 0 } }
optimisations:
  - { name: no added latency, settings: [latencyMs], with: fast, without: slow }
`;

test('experiment run prints a line per run event and the tables, writes JSON, puts the target back', async () => {
  const file = join(dir, 'tiny.yaml');
  writeFileSync(file, FILE);
  const json = join(dir, 'result.json');
  const { code, stdout, stderr } = await runCli([
    'experiment',
    'run',
    file,
    '--target',
    target.url,
    '--admin-token',
    TEST_ADMIN_TOKEN,
    '--runs-dir',
    join(dir, 'runs'),
    '--json',
    json,
  ]);
  expect(code, stderr).toBe(0);
  expect(stdout).toMatch(/^experiment exp_\S+: 4 runs, order (slow|fast) (fast|slow) \2 \1$/m);
  expect(stdout).toMatch(/^\[1\/4\] (slow|fast) \(repeat 1\): target switched$/m);
  expect(stdout).toMatch(/^\[4\/4\] (slow|fast) \(repeat 2\): run run_\S+ finished$/m);
  expect(stdout).toContain('target settings put back to what they were at the start');
  expect(stdout).toMatch(/finished, 4 of 4 runs/);
  expect(stdout).toMatch(
    /^ {2}no added latency: p95 \(all requests\) .* → (CONFIRMED|SMALLER|NONE|WORSE|NO DATA)$/m,
  );
  const written = JSON.parse(readFileSync(json, 'utf8')) as Experiment;
  expect(written.runs.map((r) => r.settings.latencyMs).sort()).toEqual([0, 0, 30, 30]);
  const chaos = await fetch(`${target.url}/admin/chaos`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  expect(((await chaos.json()) as { latencyMs: number }).latencyMs).toBe(0);
}, 90_000);

test('a bad file is one line naming the file and the field, exit 2, nothing run', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, FILE.replace('repeats: 2', 'repeats: 1'));
  const { code, stdout, stderr } = await runCli(['experiment', 'run', file, '--target', target.url]);
  expect(code).toBe(2);
  expect(stderr.trim()).toBe(
    `${file}: repeats: must be at least 2 (an interval needs two runs; the plan wants 3)`,
  );
  expect(stdout).toBe('');
});

test('experiment check prints the interleaved order of the shipped plan', async () => {
  const plan = join(import.meta.dirname, '..', '..', 'experiments', 'plan.yaml');
  const { code, stdout } = await runCli(['experiment', 'check', plan]);
  expect(code).toBe(0);
  expect(stdout).toContain('plan-optimisations, load {"vus":10,"duration":"75s"}, 10 variants × 3 repeats');
  expect(stdout.match(/^ {2}round \d: /gm)).toHaveLength(3);
});

test("experiment check --target tries every variant's settings there and leaves the target as found", async () => {
  const file = join(dir, 'check.yaml');
  writeFileSync(file, FILE);
  const ok = await runCli([
    'experiment',
    'check',
    file,
    '--target',
    target.url,
    '--admin-token',
    TEST_ADMIN_TOKEN,
  ]);
  expect(ok.code, ok.stderr).toBe(0);
  expect(ok.stdout).toContain(`${target.url}: takes every variant's settings (put back as found)`);
  writeFileSync(file, FILE.replace('latencyMs: 30', 'latencyMs: 99999999'));
  const refused = await runCli([
    'experiment',
    'check',
    file,
    '--target',
    target.url,
    '--admin-token',
    TEST_ADMIN_TOKEN,
  ]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(
    /variant slow: PUT http:\/\/127\.0\.0\.1:\d+\/admin\/chaos: 400 .*latencyMs/,
  );
  const chaos = await fetch(`${target.url}/admin/chaos`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  expect(((await chaos.json()) as { latencyMs: number }).latencyMs).toBe(0);
}, 60_000);

test('Ctrl-C stops the running run, starts no other and puts the target back (exit 1)', async () => {
  const file = join(dir, 'long.yaml');
  writeFileSync(file, FILE.replace('duration: 3s', 'duration: 60s'));
  const child = spawn(
    process.execPath,
    [
      CLI,
      'experiment',
      'run',
      file,
      '--target',
      target.url,
      '--admin-token',
      TEST_ADMIN_TOKEN,
      '--runs-dir',
      join(dir, 'runs'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let interrupted = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // Twice, as an impatient person does: the second must not cut the reset short.
    if (!interrupted && /\[1\/4\] \S+ \(repeat 1\): run \S+ running/.test(stdout)) {
      interrupted = true;
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 50);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(1);
  expect(stdout).toMatch(/\[1\/4\] \S+ \(repeat 1\): run \S+ aborted/);
  expect(stdout).not.toContain('[2/4]');
  expect(stdout).toContain('target settings put back to what they were at the start');
  expect(stdout).toMatch(/: stopped \(stopped after 1 of 4 runs\), 1 of 4 runs/);
  const chaos = await fetch(`${target.url}/admin/chaos`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  expect(((await chaos.json()) as { latencyMs: number }).latencyMs).toBe(0);
}, 90_000);
