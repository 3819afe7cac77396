// The shipped rule tests (alert-rules/tests/*.yaml) run here, so CI runs them; plus what a failing
// rule test reports, and the CLI's exit code. Real chDB in a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedTests } from '../../src/cli.ts';
import { formatRuleTestResult, passed, runRuleTests } from '../../src/rule-test/run-tests.ts';

const rulesDir = fileURLToPath(new URL('../../rules', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-ruletest-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rule tests', () => {
  it('the shipped rule pack passes its tests', async () => {
    const files = shippedTests();
    expect(files.length).toBeGreaterThan(0);
    const results = await runRuleTests(files, { store });
    for (const r of results) expect(formatRuleTestResult(r).join('\n')).toMatch(/SUCCESS/);
  });

  it('reports a wrong expectation with what was expected and what fired', async () => {
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      `rule_files: [${rulesDir}/target.yaml]
evaluation_interval: 2s
tests:
  - name: expects the wrong severity
    interval: 1s
    input_series:
      - series: 'http.server.request.duration{service="car-suggester", http.route="/api/cars"}'
        values: "0.5x40"
    alert_rule_test:
      - eval_time: 33s # evaluated at 0 (no data yet), 2 (pending), … 12 (firing), … 32 and 33
        alertname: TargetHighLatencyP95
        exp_alerts:
          - exp_labels: { service: car-suggester, severity: ticket }
`,
    );
    const [result] = await runRuleTests([file], { store });
    expect(passed(result!)).toBe(false);
    expect(formatRuleTestResult(result!)).toEqual([
      `Unit Testing: ${file}`,
      '  FAILED:',
      '    expects the wrong severity: alertname: TargetHighLatencyP95, time: 33s,',
      '        exp: [{"labels":{"alertname":"TargetHighLatencyP95","service":"car-suggester","severity":"ticket"}}]',
      '        got: [{"labels":{"alertname":"TargetHighLatencyP95","service":"car-suggester","severity":"page"},"annotations":{"summary":"p95 latency of car-suggester is 500 ms","description":"The 95th percentile of HTTP request duration over 5s is above 200 ms.","runbook_url":"alert-rules/README.md#targethighlatencyp95"}}]',
    ]);
  });

  it('rejects an invalid test file with the reason', async () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, 'rule_files: []\ntests:\n  - alert_rule_test: [{ eval_time: soon, alertname: A }]\n');
    const [result] = await runRuleTests([file], { store });
    expect(result!.errors).toEqual([
      'rule_files: Too small: expected array to have >=1 items',
      'tests.0.alert_rule_test.0.eval_time: "soon" is not a duration (use e.g. 500ms, 10s, 1m)',
    ]);
  });

  it('`cli.ts test FILE` exits 1 on a failing test', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [cli, 'test', join(dir, 'wrong.yaml')], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
  });
});
