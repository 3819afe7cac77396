// End-of-test summary shared by scenarios: full data as JSON for the launcher, a few lines for people.
import { BREAKDOWN_EXPR } from './thresholds.js';

function fmt(n, digits = 1) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '-';
}

export function shortText(scenario, data) {
  const m = data.metrics;
  const dur = m.http_req_duration?.values ?? {};
  const reqs = m.http_reqs?.values ?? {};
  const lines = [
    `${scenario}: ${reqs.count ?? 0} requests (${fmt(reqs.rate)}/s), ${m.iterations?.values?.count ?? 0} iterations`,
    `  latency ms: p50 ${fmt(dur.med)}  p90 ${fmt(dur['p(90)'])}  p95 ${fmt(dur['p(95)'])}  p99 ${fmt(dur['p(99)'])}  max ${fmt(dur.max)}`,
    `  errors ${fmt((m.http_req_failed?.values?.rate ?? 0) * 100, 2)} %  checks ${fmt((m.checks?.values?.rate ?? 0) * 100, 2)} %`,
  ];
  for (const [metric, def] of Object.entries(m)) {
    for (const [expr, res] of Object.entries(def.thresholds ?? {})) {
      if (expr === BREAKDOWN_EXPR) continue;
      lines.push(`  ${res.ok ? 'ok  ' : 'FAIL'} ${metric} ${expr}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** handleSummary body: JSON to SUMMARY_PATH (when set) and a short text on stdout. */
export function writeSummary(scenario, data) {
  const out = { stdout: shortText(scenario, data) };
  if (__ENV.SUMMARY_PATH) out[__ENV.SUMMARY_PATH] = JSON.stringify(data, null, 2);
  return out;
}
