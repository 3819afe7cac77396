// A run's report as one self-contained HTML file: inline CSS and SVG charts, no scripts, no
// external assets, every value escaped — it can be mailed or attached to a ticket as is.
import { type ReportTable, reportTable, type Table } from './report-tables.ts';
import type { RunReport } from './run-report.ts';
import { distributionChart, percentilesChart } from './svg-charts.ts';

const esc = (v: unknown) => String(v ?? '–').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlTable(t: Table): string {
  if (t.rows.length === 0) return '<p class="empty">None.</p>';
  const head = t.columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="n"' : ''}>${esc(v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const SECTIONS: [ReportTable, string][] = [
  ['summary', 'Summary'],
  ['endpoints', 'Endpoints'],
  ['thresholds', 'Thresholds'],
  ['errors', 'Errors by status'],
  ['checks', 'Checks'],
];

export function reportHtml(report: RunReport): string {
  const r = report.results;
  const failedThresholds = r.thresholds.filter((t) => !t.ok).length;
  const verdict =
    r.thresholds.length === 0
      ? 'no thresholds recorded'
      : failedThresholds === 0
        ? 'all thresholds passed'
        : `${failedThresholds} threshold(s) failed`;
  const sections = SECTIONS.map(
    ([table, title]) => `<h2>${esc(title)}</h2>\n${htmlTable(reportTable(report, table))}`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load test ${esc(r.runId)} (${esc(r.scenario)})</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#111827;padding:0 1rem}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #e5e7eb}
.meta{color:#4b5563}.ok{color:#047857}.bad{color:#b91c1c}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f9fafb}.empty{color:#6b7280}
svg{max-width:100%;height:auto}
</style>
</head>
<body>
<h1>Load test run ${esc(r.runId)}</h1>
<p class="meta">Scenario <b>${esc(r.scenario)}</b> against ${esc(r.target)} · ${esc(r.state)} ·
<span class="${failedThresholds === 0 ? 'ok' : 'bad'}">${esc(verdict)}</span> ·
${esc(r.totals.requests)} requests in ${esc(r.durationSec.toFixed(1))} s ·
percentiles ${esc(r.percentiles.description)} · generated ${esc(new Date(report.generatedAt).toISOString())}</p>
<h2>Latency percentiles over time (ms, ${esc(report.stepSeconds)} s steps)</h2>
${percentilesChart(report.series, report.stepSeconds)}
<h2>Latency distribution</h2>
${distributionChart(report.distribution)}
${sections.join('\n')}
</body>
</html>
`;
}
