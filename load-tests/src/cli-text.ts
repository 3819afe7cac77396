// How the load-test CLI prints things — progress, a run's end, stored results, comparisons and
// trends — the same whether it reads the server's API or a copied data directory.
import type { Change, Delta, EndpointDelta, RunComparison } from './results/compare.ts';
import { MIN_REQUESTS_TO_JUDGE } from './results/compare.ts';
import type { RunResults } from './results/run-results.ts';
import type { TrendPoint } from './results/trend.ts';
import type { LiveStatus, RunResult } from './run-state.ts';

export const num = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '-' : n.toFixed(digits);
const f = num;
const pct = (n: number | null) => (n === null ? '-' : `${(n * 100).toFixed(2)} %`);

/** A stored run's results as `cli.ts results` prints them. */
export function resultsText(r: RunResults): string {
  const t = r.totals;
  const lines = [
    `run ${r.runId}: ${r.scenario}, ${r.state}, ${f(r.durationSec)} s (percentiles ${r.percentiles.description})`,
    `  ${t.requests} requests (${f(t.ratePerSec)}/s), ${t.iterations} iterations, errors ${pct(t.errorRate)}`,
    `  latency ms: p50 ${f(t.latency.p50Ms)}  p90 ${f(t.latency.p90Ms)}  p95 ${f(t.latency.p95Ms)}  p99 ${f(t.latency.p99Ms)}  max ${f(t.latency.maxMs)}`,
    `  data sent ${t.dataSentBytes} B, received ${t.dataReceivedBytes} B`,
  ];
  for (const e of r.endpoints)
    lines.push(
      `  ${e.name}: ${e.requests} req (${f(e.ratePerSec)}/s), errors ${pct(e.errorRate)}, p50 ${f(e.latency.p50Ms)} p95 ${f(e.latency.p95Ms)} p99 ${f(e.latency.p99Ms)} max ${f(e.latency.maxMs)} ms`,
    );
  for (const e of r.errorsByStatus) lines.push(`  error ${e.status} on ${e.name}: ${e.count}`);
  for (const c of r.checks.filter((c) => c.fails > 0)) lines.push(`  check failed ${c.fails}×: ${c.name}`);
  for (const th of r.thresholds) lines.push(`  ${th.ok ? 'ok  ' : 'FAIL'} ${th.metric} ${th.expr}`);
  if (r.server)
    lines.push(
      `  target (${r.server.service}): ${r.server.requests} requests, p95 ${f(r.server.p95Ms)} ms, 5xx ${pct(r.server.errorRate)}`,
    );
  return lines.join('\n');
}

// ▲ a rise, ▼ a fall; WORSE / better says which way that is for this figure.
const deltaText = (d: Delta, digits = 1) =>
  `${f(d.base, digits)} → ${f(d.candidate, digits)}${d.deltaPct === null ? '' : ` (${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %)`}${d.significant ? ` ${d.candidate! > d.base! ? '▲' : '▼'} ${d.regression ? 'WORSE' : 'better'}` : ''}`;

const judgedText = (e: EndpointDelta) =>
  e.judged || e.requests.base === null || e.requests.candidate === null
    ? ''
    : ` — too few requests to judge (${e.requests.base} and ${e.requests.candidate}; at least ${MIN_REQUESTS_TO_JUDGE} each)`;

const METRIC_NAMES: Record<Change['metric'], string> = {
  p50Ms: 'p50',
  p95Ms: 'p95',
  p99Ms: 'p99',
  ratePerSec: 'rate',
  errorRate: 'errors',
};

/** A comparison as `cli.ts compare` prints it, ending with the count of worse figures. */
export function comparisonText(c: RunComparison): string {
  const n = c.noise;
  const lines = [
    `compare ${c.base.runId} (base) → ${c.candidate.runId} (candidate)`,
    `  noise band: latency ±${n.latencyPct.toFixed(1)} %, rate ±${n.ratePct.toFixed(1)} %, errors ±${(n.errorRateAbs * 100).toFixed(2)} pp (${n.source === 'history' ? `from ${n.runs} earlier comparable runs` : 'fixed: fewer than 3 comparable runs'})`,
  ];
  lines.push(c.biggestChanges.length > 0 ? '  what changed most:' : '  nothing changed beyond noise');
  for (const ch of c.biggestChanges)
    lines.push(
      `    ${ch.endpoint} ${METRIC_NAMES[ch.metric]} ${deltaText(ch.delta, ch.metric === 'errorRate' ? 4 : 1)}`,
    );
  for (const e of [c.totals, ...c.endpoints])
    lines.push(
      `  ${e.name}${judgedText(e)}`,
      `    p50 ${deltaText(e.p50Ms)}  p95 ${deltaText(e.p95Ms)}  p99 ${deltaText(e.p99Ms)}`,
      `    rate ${deltaText(e.ratePerSec)}  errors ${deltaText(e.errorRate, 4)}`,
    );
  const ok = (v: boolean | null) => (v === null ? '-' : v ? 'ok' : 'FAIL');
  for (const t of c.thresholds)
    lines.push(`  threshold ${t.metric} ${t.expr}: ${ok(t.base)} → ${ok(t.candidate)}`);
  // The dashboard's verdict: ranked figures of judged rows (p90 and max are shown, not counted).
  const worse = c.changes.filter((ch) => ch.worse).length;
  lines.push(`  ${worse} figure(s) worse, ${c.changes.length - worse} better beyond noise`);
  return lines.join('\n');
}

/** One line a second while a run goes: VUs, requests, rate, p95, errors, failing thresholds. */
export function progressLine(e: LiveStatus, state: string): string {
  const failing = e.thresholds.filter((t) => !t.ok).map((t) => t.metric);
  return [
    `[${state}]`,
    `${e.vus} VUs`,
    `${e.httpReqs} reqs`,
    `${num(e.reqRate)} req/s`,
    `p95 ${num(e.p95Ms)} ms`,
    `errors ${num(e.errorRate * 100, 2)} %`,
    failing.length > 0 ? `thresholds failing: ${failing.join(', ')}` : 'thresholds ok',
  ].join('  ');
}

/** What k6 said at a run's end: exit, totals, latency, endpoints, thresholds. */
export function runResultLines(result: RunResult): string[] {
  const lines = [`  k6 exit ${result.exitCode ?? result.signal}: ${result.exitMeaning}`];
  const s = result.stats;
  if (s) {
    lines.push(
      `  ${s.httpReqs} requests (${num(s.reqRate)}/s), ${s.iterations} iterations in ${num(s.durationMs / 1000)} s`,
      `  latency ms: p50 ${num(s.p50Ms)}  p90 ${num(s.p90Ms)}  p95 ${num(s.p95Ms)}  p99 ${num(s.p99Ms)}  max ${num(s.maxMs)}`,
      `  errors ${num(s.errorRate * 100, 2)} %  checks ${num((s.checksRate ?? 0) * 100, 2)} %`,
    );
  }
  for (const e of result.perEndpoint ?? [])
    lines.push(`  ${e.name}: ${e.count} requests, p95 ${num(e.p95Ms)} ms`);
  for (const t of result.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expr}`);
  lines.push(`  thresholds ${result.thresholdsPassed ? 'passed' : 'FAILED'}`);
  return lines;
}

/** One line per run of a scenario's trend. */
export function trendLine(p: TrendPoint): string {
  return `${new Date(p.createdAt).toISOString()} ${p.runId} ${p.state}${p.isBaseline ? ' (baseline)' : ''}: ${p.requests ?? '-'} req, ${f(p.reqRate)}/s, p95 ${f(p.p95Ms)} ms, errors ${pct(p.errorRate)}, thresholds ${p.thresholdsPassed === null ? '-' : p.thresholdsPassed ? 'passed' : 'FAILED'}`;
}

/** Whether a comparison found a figure worse beyond noise (a regression: exit 1). */
export const hasRegression = (c: RunComparison) => c.changes.some((ch) => ch.worse);
