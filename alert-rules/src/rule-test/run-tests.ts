// Runs rule test files against the real engine and a real temporary store: each test case starts
// from empty tables, writes its input series and load-run samples, evaluates the rules at every
// evaluation interval up to its last eval_time (so `for` and `keep_firing_for` play out), and
// compares the firing alerts at each eval_time with the expected ones, labels and annotations.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createStore, RUN_SAMPLES_TABLE, rollupTables, type Store } from 'collector';
import { formatDuration } from '../duration.ts';
import { createAlertEngine } from '../engine.ts';
import { formatRuleError, loadRules, parseRuleFile } from '../load-rules.ts';
import type { Rule } from '../rule-schema.ts';
import { insertRunSamples } from './run-samples.ts';
import { insertSeries } from './series.ts';
import { parseRuleTestFile, type RuleTestCase } from './test-file.ts';

/** Sample 0 of every input series and eval_time 0s are this instant. */
export const testEpoch = Date.UTC(2026, 0, 1);
// Each case starts from an empty store: raw telemetry, its rollups, and the engine's own tables.
const cleared = [
  'otel_metrics_histogram',
  'otel_metrics_sum',
  'otel_metrics_gauge',
  ...rollupTables,
  RUN_SAMPLES_TABLE,
  'cp_alert_events',
  'cp_notifications',
];

export interface RuleTestCaseResult {
  name: string;
  failures: string[];
}

export interface RuleTestFileResult {
  file: string;
  /** Problems with the file itself (unreadable, invalid, rules that do not load). */
  errors: string[];
  cases: RuleTestCaseResult[];
}

export const passed = (r: RuleTestFileResult) =>
  r.errors.length === 0 && r.cases.every((c) => c.failures.length === 0);

/** Opens one temporary store for all files (or uses `store`), and closes what it opened. */
export async function runRuleTests(
  files: string[],
  options: { store?: Store } = {},
): Promise<RuleTestFileResult[]> {
  const dataDir = options.store ? null : mkdtempSync(join(tmpdir(), 'alert-rules-test-'));
  const store = options.store ?? (await createStore({ dataDir: dataDir! }));
  try {
    const results: RuleTestFileResult[] = [];
    for (const file of files) results.push(await runFile(store, file));
    return results;
  } finally {
    if (dataDir) {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function runFile(store: Store, path: string): Promise<RuleTestFileResult> {
  const result: RuleTestFileResult = { file: path, errors: [], cases: [] };
  let parsed: ReturnType<typeof parseRuleTestFile>;
  try {
    parsed = parseRuleTestFile(path);
  } catch (e) {
    result.errors.push(`cannot read: ${(e as Error).message}`);
    return result;
  }
  if (!parsed.file) {
    result.errors.push(...parsed.errors);
    return result;
  }
  const rules: Rule[] = [];
  for (const ruleFile of parsed.file.rule_files) {
    const target = resolve(dirname(path), ruleFile);
    const loaded = loadRuleTarget(target);
    result.errors.push(...loaded.errors);
    rules.push(...loaded.rules);
  }
  if (result.errors.length > 0) return result;
  const evalMs = parsed.file.evaluation_interval ?? Math.min(...rules.map((r) => r.intervalMs), 60_000);
  for (const [i, testCase] of parsed.file.tests.entries()) {
    const name = testCase.name ?? `test #${i + 1}`;
    try {
      result.cases.push({ name, failures: await runCase(store, rules, testCase, evalMs) });
    } catch (e) {
      result.cases.push({ name, failures: [`error: ${(e as Error).message}`] });
    }
  }
  return result;
}

function loadRuleTarget(target: string): { rules: Rule[]; errors: string[] } {
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch (e) {
    return { rules: [], errors: [`rule_files: cannot read ${target}: ${(e as Error).message}`] };
  }
  const loaded = isDir ? loadRules(target) : parseRuleFile(readFileSync(target, 'utf8'), target);
  return { rules: loaded.rules, errors: loaded.errors.map(formatRuleError) };
}

interface AlertShape {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

async function runCase(
  store: Store,
  rules: Rule[],
  testCase: RuleTestCase,
  evalMs: number,
): Promise<string[]> {
  for (const table of cleared) await store.client.command({ query: `TRUNCATE TABLE IF EXISTS ${table}` });
  await insertSeries(
    store.client,
    testCase.input_series.map((s) => ({
      series: s.series,
      values: s.values,
      kind: s.kind,
      countPerStep: s.count,
      bounds: s.buckets,
      unit: s.unit,
    })),
    { start: testEpoch, stepMs: testCase.interval ?? evalMs },
  );
  await insertRunSamples(store.client, testCase.input_samples, {
    start: testEpoch,
    stepMs: testCase.interval ?? evalMs,
  });
  // Rules are independent, so only those a case asks about are evaluated (promtool runs all).
  const asked = new Set(testCase.alert_rule_test.map((t) => t.alertname));
  const unknown = [...asked].filter((name) => !rules.some((r) => r.alert === name));
  if (unknown.length > 0) return [`no rule named ${unknown.join(', ')} in rule_files`];
  const engine = createAlertEngine({
    client: store.client,
    rules: rules.filter((r) => asked.has(r.alert)),
    routing: null,
    redisUrl: null,
    log: () => {},
  });
  const evalTimes = new Set(testCase.alert_rule_test.map((t) => t.eval_time));
  const last = Math.max(...evalTimes);
  const times = new Set<number>(evalTimes);
  for (let t = 0; t <= last; t += evalMs) times.add(t);
  const failures: string[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    await engine.evaluateOnce(testEpoch + t);
    for (const check of testCase.alert_rule_test.filter((c) => c.eval_time === t)) {
      const got: AlertShape[] = engine
        .alerts()
        .filter((a) => a.rule === check.alertname && (a.state === 'firing' || a.held === 'firing'))
        .map((a) => ({ labels: a.labels, annotations: a.annotations }));
      const expected = check.exp_alerts.map((e) => ({
        labels: { ...e.exp_labels, alertname: check.alertname },
        annotations: e.exp_annotations,
      }));
      if (!sameAlerts(expected, got)) {
        failures.push(
          `alertname: ${check.alertname}, time: ${formatDuration(t)},\n` +
            `    exp: ${JSON.stringify(expected.map(sorted))}\n` +
            `    got: ${JSON.stringify(got.map(sorted))}`,
        );
      }
    }
  }
  await engine.stop();
  return failures;
}

const key = (m: Record<string, string>) =>
  JSON.stringify(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
const sorted = (a: { labels: Record<string, string>; annotations?: Record<string, string> | undefined }) => ({
  labels: Object.fromEntries(Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y))),
  ...(a.annotations ? { annotations: a.annotations } : {}),
});

/** Same alerts in any order; an expectation without annotations does not check them. */
function sameAlerts(
  expected: { labels: Record<string, string>; annotations?: Record<string, string> | undefined }[],
  got: AlertShape[],
): boolean {
  if (expected.length !== got.length) return false;
  const left = [...got];
  for (const e of expected) {
    const i = left.findIndex(
      (g) => key(g.labels) === key(e.labels) && (!e.annotations || key(g.annotations) === key(e.annotations)),
    );
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** promtool's report: one block per file, SUCCESS or FAILED with each mismatch. */
export function formatRuleTestResult(r: RuleTestFileResult): string[] {
  const lines = [`Unit Testing: ${r.file}`];
  if (passed(r)) {
    lines.push(`  SUCCESS (${r.cases.length} test${r.cases.length === 1 ? '' : 's'})`);
    return lines;
  }
  lines.push('  FAILED:');
  for (const e of r.errors) lines.push(`    ${e}`);
  for (const c of r.cases)
    for (const f of c.failures) lines.push(...`${c.name}: ${f}`.split('\n').map((l) => `    ${l}`));
  return lines;
}
