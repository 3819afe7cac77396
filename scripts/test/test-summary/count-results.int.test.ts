// Plants failing test files in a temp dir, runs the real vitest and Playwright CLIs on them with their
// JSON reporters, and checks that the test command's closing line (scripts/test-summary.ts) counts
// each kind of failure — a red run never reads "0 failed" — while a green run reads "N passed, 0 failed".
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  countPlaywrightReport,
  countVitestReport,
  type TestCounts,
} from '../../test-summary/count-results.ts';

const repo = resolve(import.meta.dirname, '../../..');
const summaryScript = join(repo, 'scripts/test-summary.ts');

const vitestPlants = {
  green: `import { expect, test } from 'vitest';
test('one', () => expect(1).toBe(1));
test('two', () => expect(2).toBe(2));
`,
  importThrows: `import { test } from 'vitest';
import './no-such-module.mjs';
test('never collected', () => {});
`,
  beforeAllThrows: `import { beforeAll, expect, test } from 'vitest';
beforeAll(() => { throw new Error('planted: beforeAll fails'); });
test('behind the hook a', () => expect(1).toBe(1));
test('behind the hook b', () => expect(1).toBe(1));
`,
  plainFailure: `import { expect, test } from 'vitest';
test('fails', () => expect(1).toBe(2));
test('passes', () => expect(1).toBe(1));
`,
  // Fails on its first attempt, passes on its retry (the module stays loaded between attempts).
  passesOnRetry: `import { expect, test } from 'vitest';
let attempts = 0;
test('second time lucky', { retry: 1 }, () => expect(++attempts).toBe(2));
test('steady', () => expect(1).toBe(1));
`,
};

const playwrightPlants = {
  green: `import { expect, test } from '@playwright/test';
test('passes without a browser', () => expect(1).toBe(1));
`,
  // A syntax error: Playwright cannot load the spec and reports a top-level error, outside any test.
  doesNotLoad: `import { test } from '@playwright/test';
test('never collected', () => {
`,
  passesOnRetry: `import { expect, test } from '@playwright/test';
test.describe.configure({ retries: 1 });
test('second time lucky', ({}, testInfo) => expect(testInfo.retry).toBe(1));
`,
};

type Run = { code: number | null; stdout: string; stderr: string };
type Closing = Run & { line: string };

// The child runners must not think they run inside this vitest worker.
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST'),
  );
  return { ...env, ...extra };
}

function run(args: string[], cwd: string, env = childEnv()): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let scratch: string;
let planted = 0;

// A fresh dir whose node_modules holds only the two runners, linked to the repo's copies, so the
// planted files resolve them while the repo's own configs stay out of reach.
async function plantDir(): Promise<string> {
  const dir = join(scratch, `plant-${++planted}`);
  await mkdir(join(dir, 'node_modules/@playwright'), { recursive: true });
  await symlink(join(repo, 'node_modules/vitest'), join(dir, 'node_modules/vitest'));
  await symlink(join(repo, 'node_modules/@playwright/test'), join(dir, 'node_modules/@playwright/test'));
  return dir;
}

async function readReport(file: string, run: Run): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new Error(`no JSON report at ${file} (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

async function runVitest(source: string, flakyReport?: string): Promise<unknown> {
  const dir = await plantDir();
  const config = join(dir, 'vitest.config.mjs');
  await writeFile(config, "export default { test: { include: ['*.test.mjs'] } };\n");
  await writeFile(join(dir, 'planted.test.mjs'), source);
  const output = join(dir, 'vitest.json');
  const vitest = join(repo, 'node_modules/vitest/vitest.mjs');
  const reporter = ['--reporter=json', `--outputFile.json=${output}`];
  if (flakyReport) reporter.push(`--reporter=${join(repo, 'scripts/test-summary/flaky-reporter.ts')}`);
  const env = childEnv(flakyReport ? { FLAKY_REPORT: flakyReport } : {});
  const result = await run([vitest, 'run', '--root', dir, '--config', config, ...reporter], dir, env);
  return readReport(output, result);
}

async function runPlaywright(specs: Record<string, string>): Promise<unknown> {
  const dir = await plantDir();
  const config = "export default { testDir: '.', testMatch: '*.spec.mjs', outputDir: './pw-output' };\n";
  await writeFile(join(dir, 'playwright.config.mjs'), config);
  for (const [name, source] of Object.entries(specs)) await writeFile(join(dir, `${name}.spec.mjs`), source);
  const output = join(dir, 'playwright.json');
  const cli = join(repo, 'node_modules/@playwright/test/cli.js');
  const result = await run(
    [cli, 'test', '-c', join(dir, 'playwright.config.mjs'), '--reporter=json'],
    dir,
    childEnv({ PLAYWRIGHT_JSON_OUTPUT_NAME: output }),
  );
  return readReport(output, result);
}

// Runs the test command's real closing step over a results dir holding both reports.
async function closingLine(
  vitestReport: unknown,
  playwrightReport: unknown,
  vitestFlaky?: string,
): Promise<Closing> {
  const results = join(scratch, `results-${++planted}`);
  await mkdir(results);
  if (vitestFlaky) await writeFile(join(results, 'vitest-flaky.json'), await readFile(vitestFlaky));
  await writeFile(join(results, 'vitest.json'), JSON.stringify(vitestReport));
  await writeFile(join(results, 'playwright.json'), JSON.stringify(playwrightReport));
  const result = await run([summaryScript, results, '0'], repo);
  return { ...result, line: result.stdout.trim().split('\n').at(-1) ?? '' };
}

function expectRed(closing: Closing, line: string): void {
  expect(closing.line).toBe(line);
  expect(closing.line).not.toMatch(/(^|\D)0 failed/);
  expect(closing.code).toBe(1);
}

describe('the test command closing line', () => {
  let greenVitest: unknown;
  let greenPlaywright: unknown;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'test-summary-'));
    [greenVitest, greenPlaywright] = await Promise.all([
      runVitest(vitestPlants.green),
      runPlaywright({ green: playwrightPlants.green }),
    ]);
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('an all-green run reads "3 passed, 0 failed, 0 skipped" and exits 0', async () => {
    expect(countVitestReport(greenVitest)).toEqual<TestCounts>({ passed: 2, failed: 0, skipped: 0 });
    expect(countPlaywrightReport(greenPlaywright)).toEqual<TestCounts>({ passed: 1, failed: 0, skipped: 0 });
    const closing = await closingLine(greenVitest, greenPlaywright);
    expect(closing.line).toBe('3 passed, 0 failed, 0 skipped');
    expect(closing.code).toBe(0);
  });

  test('a vitest file whose import throws counts as one failure', async () => {
    const report = await runVitest(vitestPlants.importThrows);
    expect(countVitestReport(report)).toEqual<TestCounts>({ passed: 0, failed: 1, skipped: 0 });
    expectRed(await closingLine(report, greenPlaywright), '1 passed, 1 failed, 0 skipped');
  });

  test('a vitest file whose beforeAll throws counts as one failure beside its skipped tests', async () => {
    const report = await runVitest(vitestPlants.beforeAllThrows);
    expect(countVitestReport(report)).toEqual<TestCounts>({ passed: 0, failed: 1, skipped: 2 });
    expectRed(await closingLine(report, greenPlaywright), '1 passed, 1 failed, 2 skipped');
  });

  test('a plain failing vitest test counts once, not again for its file', async () => {
    const report = await runVitest(vitestPlants.plainFailure);
    expect(countVitestReport(report)).toEqual<TestCounts>({ passed: 1, failed: 1, skipped: 0 });
    expectRed(await closingLine(report, greenPlaywright), '2 passed, 1 failed, 0 skipped');
  });

  test('a Playwright spec that fails to load, beside a good one, counts as one failure', async () => {
    // Playwright runs nothing when a spec does not load; with no spec left to load it would add a
    // second error, "No tests found".
    const report = await runPlaywright({
      green: playwrightPlants.green,
      broken: playwrightPlants.doesNotLoad,
    });
    expect(countPlaywrightReport(report)).toEqual<TestCounts>({ passed: 0, failed: 1, skipped: 0 });
    expectRed(await closingLine(greenVitest, report), '2 passed, 1 failed, 0 skipped');
  });

  test('a test that passes only on its retry counts as passed and is named above the line', async () => {
    const flakyReport = join(scratch, `flaky-${++planted}.json`);
    const vitestReport = await runVitest(vitestPlants.passesOnRetry, flakyReport);
    const playwrightReport = await runPlaywright({ retried: playwrightPlants.passesOnRetry });
    expect(countVitestReport(vitestReport)).toEqual<TestCounts>({ passed: 2, failed: 0, skipped: 0 });
    expect(countPlaywrightReport(playwrightReport)).toEqual<TestCounts>({ passed: 1, failed: 0, skipped: 0 });
    const closing = await closingLine(vitestReport, playwrightReport, flakyReport);
    expect(closing.line).toBe('3 passed, 0 failed, 0 skipped');
    expect(closing.code).toBe(0);
    expect(closing.stdout).toContain('flaky: 2 test(s) failed, then passed on a retry');
    expect(closing.stdout).toMatch(/planted\.test\.mjs › second time lucky \(passed on retry 1\)/);
    expect(closing.stdout).toContain('retried.spec.mjs › second time lucky');
    expect(closing.stdout).not.toContain('steady');
  });
});
