// Counts passed, failed and skipped tests from the vitest and Playwright JSON reports for the closing
// "N passed, N failed, N skipped" line of the test command (CI reads that line).
// A failure that belongs to no single test — a file whose import throws, a failed beforeAll (its tests
// are reported as skipped), a spec Playwright cannot load, a report that is missing or unreadable —
// counts as one failure, so a red run never reads "0 failed".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type TestCounts = { passed: number; failed: number; skipped: number };

const oneFailure: TestCounts = { passed: 0, failed: 1, skipped: 0 };

export function formatSummaryLine({ passed, failed, skipped }: TestCounts): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

export function addCounts(a: TestCounts, b: TestCounts): TestCounts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

// scripts/ has no package.json of its own, so no zod here: the few fields read are checked by hand,
// and a report of another shape throws (and counts as a failure in readTestResults).
type Json = Record<string, unknown>;

function field(json: unknown, key: string): unknown {
  if (typeof json !== 'object' || json === null) throw new Error(`expected an object holding "${key}"`);
  return (json as Json)[key];
}

function count(json: unknown, key: string): number {
  const value = field(json, key);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`"${key}" is not a count`);
  }
  return value;
}

function list(json: unknown, key: string): unknown[] {
  const value = field(json, key) ?? [];
  if (!Array.isArray(value)) throw new Error(`"${key}" is not a list`);
  return value;
}

/** Counts a vitest `--reporter=json` report. */
export function countVitestReport(report: unknown): TestCounts {
  const passed = count(report, 'numPassedTests');
  const skipped = count(report, 'numPendingTests') + count(report, 'numTodoTests');
  // A file that failed without a failed test of its own: its import threw, a beforeAll/afterAll
  // failed, or its worker died. numFailedTestSuites alone would count a describe around a failed
  // test a second time.
  const failedFilesWithoutFailedTest = list(report, 'testResults').filter(
    (file) =>
      field(file, 'status') === 'failed' &&
      !list(file, 'assertionResults').some((test) => field(test, 'status') === 'failed'),
  ).length;
  let failed = count(report, 'numFailedTests') + failedFilesWithoutFailedTest;
  // Vitest's own verdict (also false when no test file was found) has the last word.
  const red = field(report, 'success') === false || count(report, 'numFailedTestSuites') > 0;
  if (red && failed === 0) failed = 1;
  return { passed, failed, skipped };
}

/** Counts a Playwright json-reporter report. */
export function countPlaywrightReport(report: unknown): TestCounts {
  const stats = field(report, 'stats');
  // Top-level errors fail the run outside any test: a spec that does not load, global setup or
  // teardown, a worker that crashed. Playwright leaves them out of `stats`.
  const errors = list(report, 'errors').length;
  return {
    passed: count(stats, 'expected') + count(stats, 'flaky'),
    failed: count(stats, 'unexpected') + errors,
    skipped: count(stats, 'skipped'),
  };
}

export type TestResults = { counts: TestCounts; problems: string[] };

/** Reads `vitest.json` and `playwright.json` from the test command's results directory. */
export function readTestResults(dir: string): TestResults {
  const reports = [
    { file: join(dir, 'vitest.json'), countReport: countVitestReport },
    { file: join(dir, 'playwright.json'), countReport: countPlaywrightReport },
  ];
  let counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  const problems: string[] = [];
  for (const { file, countReport } of reports) {
    // No report means the runner stopped before its reporter ran.
    if (!existsSync(file)) {
      problems.push(`${file} is missing (counted as one failure)`);
      counts = addCounts(counts, oneFailure);
      continue;
    }
    try {
      counts = addCounts(counts, countReport(JSON.parse(readFileSync(file, 'utf8'))));
    } catch (error) {
      problems.push(`${file} is unreadable: ${(error as Error).message} (counted as one failure)`);
      counts = addCounts(counts, oneFailure);
    }
  }
  return { counts, problems };
}

/** Playwright tests that failed and then passed on a retry, as "file › title". */
export function flakyPlaywrightTests(report: unknown): string[] {
  const names: string[] = [];
  const walk = (suite: unknown): void => {
    for (const spec of list(suite, 'specs')) {
      if (list(spec, 'tests').some((test) => field(test, 'status') === 'flaky'))
        names.push(`${String(field(spec, 'file'))} › ${String(field(spec, 'title'))}`);
    }
    for (const child of list(suite, 'suites')) walk(child);
  };
  walk(report);
  return names;
}

/**
 * Tests that passed only on a retry, from `vitest-flaky.json` (flaky-reporter.ts) and the Playwright
 * report. They count as passed; the summary names them so a flaky test is seen, not hidden.
 */
export function readFlakyTests(dir: string): string[] {
  const read = (file: string): unknown =>
    existsSync(join(dir, file)) ? JSON.parse(readFileSync(join(dir, file), 'utf8')) : undefined;
  try {
    const vitest = read('vitest-flaky.json') ?? [];
    const playwright = read('playwright.json');
    if (!Array.isArray(vitest)) throw new Error('vitest-flaky.json is not a list');
    return [...vitest.map(String), ...(playwright ? flakyPlaywrightTests(playwright) : [])];
  } catch (error) {
    return [`(the flaky-test lists are unreadable: ${(error as Error).message})`];
  }
}
