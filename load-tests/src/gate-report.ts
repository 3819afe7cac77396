// What the CI gate writes for a CI system: JUnit XML (one testcase per threshold and per figure the
// comparison flagged; failures carry the message) and a Markdown summary for $GITHUB_STEP_SUMMARY.
import { writeFile } from 'node:fs/promises';
import { changeMessage, changeName, type GateVerdict } from './ci-gate.ts';
import { num } from './cli-text.ts';
import { ALL_REQUESTS, MIN_REQUESTS_TO_JUDGE, type RunComparison } from './results/compare.ts';

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface TestCase {
  classname: string;
  name: string;
  /** The failure message; undefined when the case passed. */
  failure: string | undefined;
  /** Failed but not selected by --fail-on: reported as skipped, not failed. */
  skipped: string | undefined;
}

function testCases(v: GateVerdict): TestCase[] {
  const cases: TestCase[] = [
    {
      classname: 'run',
      name: `${v.run.scenario} ${v.run.id}`,
      failure:
        v.run.state === 'finished'
          ? undefined
          : `run ${v.run.state}${v.run.reason ? `: ${v.run.reason}` : ''}`,
      skipped: undefined,
    },
  ];
  const thresholdsGate = v.failOn.has('thresholds');
  for (const t of v.run.result?.thresholds ?? []) {
    const message = t.ok ? undefined : `threshold failed: ${t.metric} ${t.expr}`;
    cases.push({
      classname: 'thresholds',
      name: `${t.metric} ${t.expr}`,
      failure: thresholdsGate ? message : undefined,
      skipped: thresholdsGate ? undefined : message && `${message} (not in --fail-on)`,
    });
  }
  const regressionGate = v.failOn.has('regression');
  for (const ch of v.comparison?.changes ?? []) {
    const message = ch.worse ? `regression against ${v.baselineId}: ${changeMessage(ch)}` : undefined;
    cases.push({
      classname: 'regression',
      name: changeName(ch),
      failure: regressionGate ? message : undefined,
      skipped: regressionGate ? undefined : message && `${message} (not in --fail-on)`,
    });
  }
  const unjudged = v.comparison && notJudged(v.comparison);
  if (unjudged)
    cases.push({ classname: 'regression', name: ALL_REQUESTS, failure: undefined, skipped: unjudged });
  return cases;
}

/** Why the comparison flagged nothing at all: too few requests on a side (the UI says the same). */
export function notJudged(c: RunComparison): string | undefined {
  const r = c.totals.requests;
  if (c.totals.judged) return undefined;
  return `too few requests to judge a regression (${r.base ?? 0} and ${r.candidate ?? 0}; at least ${MIN_REQUESTS_TO_JUDGE} each)`;
}

export function junitXml(v: GateVerdict): string {
  const cases = testCases(v);
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="perf.${xml(c.classname)}" name="${xml(c.name)}"`;
    if (c.failure) return `${open}>\n      <failure message="${xml(c.failure)}"/>\n    </testcase>`;
    if (c.skipped) return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
    return `${open}/>`;
  });
  const suite = `perf gate ${v.run.scenario}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${xml(suite)}" tests="${cases.length}" failures="${failures}">
  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">
${body.join('\n')}
  </testsuite>
</testsuites>
`;
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function markdownSummary(v: GateVerdict): string {
  const passed = v.failures.length === 0;
  const lines = [
    `## Performance gate: ${v.run.scenario} — ${passed ? '✅ passed' : '❌ FAILED'}`,
    '',
    `Run \`${v.run.id}\` (${v.run.state}) against ${v.baselineId ? `baseline \`${v.baselineId}\`` : 'no baseline'}; fails on: ${[...v.failOn].join(', ')}.`,
  ];
  if (!passed) lines.push('', ...v.failures.map((f) => `- ${md(f)}`));
  const s = v.run.result?.stats;
  if (s)
    lines.push(
      '',
      `${s.httpReqs} requests (${num(s.reqRate)}/s), p95 ${num(s.p95Ms)} ms, errors ${num(s.errorRate * 100, 2)} %`,
    );
  const thresholds = v.run.result?.thresholds ?? [];
  if (thresholds.length > 0) {
    lines.push('', '### Thresholds', '', '| metric | threshold | result |', '|---|---|---|');
    for (const t of thresholds)
      lines.push(`| ${md(t.metric)} | \`${md(t.expr)}\` | ${t.ok ? 'ok' : '**FAIL**'} |`);
  }
  const c = v.comparison;
  if (c) {
    const n = c.noise;
    lines.push(
      '',
      '### Biggest changes',
      '',
      `Noise band: latency ±${n.latencyPct.toFixed(1)} %, rate ±${n.ratePct.toFixed(1)} %, errors ±${(n.errorRateAbs * 100).toFixed(2)} pp (${n.source}).`,
      '',
    );
    const unjudged = notJudged(c);
    if (unjudged) lines.push(`Not compared: ${unjudged}.`);
    else if (c.biggestChanges.length === 0) lines.push('Nothing changed beyond noise.');
    else {
      lines.push('| endpoint | figure | baseline | this run | change | |', '|---|---|---|---|---|---|');
      for (const ch of c.biggestChanges) {
        const d = ch.delta;
        const pct = d.deltaPct === null ? '-' : `${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %`;
        lines.push(
          `| ${md(ch.endpoint)} | ${ch.metric} | ${num(d.base, 2)} | ${num(d.candidate, 2)} | ${pct} | ${ch.worse ? '**worse**' : 'better'} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the files the gate was asked for. */
export async function writeGateReports(
  v: GateVerdict,
  files: { junit: string | undefined; summary: string | undefined },
): Promise<void> {
  if (files.junit) await writeFile(files.junit, junitXml(v));
  if (files.summary) await writeFile(files.summary, markdownSummary(v));
}
