// The CI gate's edges without a server: which flags make a gate and which are refused (one line,
// exit 2), and what its JUnit file and summary say about a verdict — threshold expressions such as
// p(95)<200 escaped in XML, a failing check as <failure>, an unselected one as <skipped>. The gate
// against a real server: dashboard/test/loop/ci-gate.int.test.ts.
import { describe, expect, it } from 'vitest';
import { type GateVerdict, gateOptions } from '../src/ci-gate.ts';
import { CLI_EXIT } from '../src/cli-exit.ts';
import { junitXml, markdownSummary } from '../src/gate-report.ts';
import type { Change, RunComparison } from '../src/results/compare.ts';
import type { ServerRun } from '../src/server-answers.ts';

describe('gateOptions', () => {
  it('is no gate without gate flags, and fails on both checks by default with a baseline', () => {
    expect(gateOptions({ wait: true })).toBeUndefined();
    expect(gateOptions({ baseline: 'latest-baseline' })?.failOn).toEqual(
      new Set(['thresholds', 'regression']),
    );
    expect(gateOptions({ junit: 'j.xml' })?.failOn).toEqual(new Set(['thresholds']));
    expect(gateOptions({ baseline: 'run_1', 'fail-on': 'thresholds' })?.failOn).toEqual(
      new Set(['thresholds']),
    );
  });

  it.each([
    [{ baseline: 'latest-baseline', 'fail-on': 'thresholds,latency' }, "invalid --fail-on 'latency'"],
    [{ 'fail-on': 'regression' }, '--fail-on regression needs --baseline'],
    [{ baseline: 'latest-baseline', 'no-wait': true }, 'leave out --no-wait'],
    [{ wait: true, 'no-wait': true, baseline: 'run_1' }, '--wait and --no-wait contradict'],
    [{ baseline: '../etc' }, "invalid --baseline '../etc'"],
    [{ baseline: 'run_1', junit: '' }, '--junit needs a file name'],
  ])('refuses %j with one line and exit 2', (values, message) => {
    let error: { message: string; exitCode: number } | undefined;
    try {
      gateOptions(values);
    } catch (e) {
      error = e as { message: string; exitCode: number };
    }
    expect(error?.exitCode).toBe(CLI_EXIT.usage);
    expect(error?.message).toContain(message);
    expect(error?.message.split('\n')).toHaveLength(1);
  });
});

const run = {
  id: 'run_c',
  scenario: 'smoke',
  state: 'finished',
  reason: null,
  result: {
    thresholds: [
      { metric: 'http_req_duration', expr: 'p(95)<200', ok: false },
      { metric: 'checks', expr: 'rate>0.99', ok: true },
    ],
    stats: { httpReqs: 100, reqRate: 20, p95Ms: 450, errorRate: 0 },
  },
} as unknown as ServerRun;

const slower: Change = {
  endpoint: '(all)',
  metric: 'p95Ms',
  delta: { base: 40, candidate: 450, deltaPct: 1025, significant: true, regression: true },
  noiseMultiple: 102.5,
  worse: true,
};
const comparison = {
  noise: { source: 'fixed', runs: 0, latencyPct: 10, ratePct: 10, errorRateAbs: 0.001 },
  totals: { judged: true, requests: { base: 100, candidate: 100 } },
  changes: [slower],
  biggestChanges: [slower],
} as unknown as RunComparison;

const verdict = (failOn: GateVerdict['failOn'], failures: string[]): GateVerdict => ({
  run,
  baselineId: 'run_b',
  comparison,
  failOn,
  failures,
});

describe('the gate reports', () => {
  it('writes escaped JUnit XML: a failure per failed selected check, passing cases empty', () => {
    const xml = junitXml(verdict(new Set(['thresholds', 'regression']), ['x', 'y']));
    expect(xml).toContain('<testsuite name="perf gate smoke" tests="4" failures="2" skipped="0">');
    expect(xml).toContain('name="http_req_duration p(95)&lt;200">');
    expect(xml).toContain('<failure message="threshold failed: http_req_duration p(95)&lt;200"/>');
    expect(xml).toContain('<testcase classname="perf.thresholds" name="checks rate&gt;0.99"/>');
    expect(xml).toMatch(
      /<testcase classname="perf.regression" name="\(all\) p95Ms">\s*<failure message="regression against run_b: \(all\) p95Ms: 40 → 450 \(\+1025.0 %\)/,
    );
    expect(xml).not.toMatch(/<[^>]*p\(95\)<200/);
  });

  it('reports a check left out of --fail-on as skipped, not failed', () => {
    const xml = junitXml(verdict(new Set(['thresholds']), ['x']));
    expect(xml).toContain('failures="1" skipped="1"');
    expect(xml).toMatch(
      /name="\(all\) p95Ms">\s*<skipped message="regression against run_b: .*\(not in --fail-on\)"/,
    );
  });

  it('summarises the verdict, the thresholds and the biggest changes in Markdown', () => {
    const md = markdownSummary(
      verdict(new Set(['thresholds', 'regression']), ['regression: (all) p95Ms: …']),
    );
    expect(md).toContain('## Performance gate: smoke — ❌ FAILED');
    expect(md).toContain('- regression: (all) p95Ms: …');
    expect(md).toContain('| http_req_duration | `p(95)<200` | **FAIL** |');
    expect(md).toContain('| (all) | p95Ms | 40.00 | 450.00 | +1025.0 % | **worse** |');
    expect(markdownSummary(verdict(new Set(['thresholds']), []))).toContain('— ✅ passed');
  });
});
