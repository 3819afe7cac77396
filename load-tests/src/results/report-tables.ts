// A report's tables as rows, and as CSV (RFC 4180) or JSON — the same rows the HTML report shows.
import type { RunReport } from './run-report.ts';

export const REPORT_TABLES = ['summary', 'endpoints', 'errors', 'checks', 'thresholds', 'series'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

type Cell = string | number | boolean | null;
export type Table = { columns: string[]; rows: Cell[][] };

const round = (n: number | null, digits = 3): number | null =>
  n === null || !Number.isFinite(n) ? null : Number(n.toFixed(digits));

export function reportTable(report: RunReport, table: ReportTable): Table {
  const r = report.results;
  switch (table) {
    case 'summary': {
      const t = r.totals;
      const rows: [string, Cell][] = [
        ['run_id', r.runId],
        ['scenario', r.scenario],
        ['state', r.state],
        ['target', r.target],
        ['started_at', r.startedAt === null ? null : new Date(r.startedAt).toISOString()],
        ['ended_at', r.endedAt === null ? null : new Date(r.endedAt).toISOString()],
        ['duration_s', round(r.durationSec)],
        ['percentiles', r.percentiles.source],
        ['percentile_error_bound', r.percentiles.errorBound],
        ['requests', t.requests],
        ['rate_per_s', round(t.ratePerSec)],
        ['failed', t.failed],
        ['error_rate', round(t.errorRate, 6)],
        ['iterations', t.iterations],
        ['data_sent_bytes', t.dataSentBytes],
        ['data_received_bytes', t.dataReceivedBytes],
        ['p50_ms', round(t.latency.p50Ms)],
        ['p90_ms', round(t.latency.p90Ms)],
        ['p95_ms', round(t.latency.p95Ms)],
        ['p99_ms', round(t.latency.p99Ms)],
        ['max_ms', round(t.latency.maxMs)],
        ['server_requests', r.server?.requests ?? null],
        ['server_p95_ms', round(r.server?.p95Ms ?? null)],
        ['server_error_rate', round(r.server?.errorRate ?? null, 6)],
      ];
      return { columns: ['figure', 'value'], rows };
    }
    case 'endpoints':
      return {
        columns: [
          'endpoint',
          'requests',
          'rate_per_s',
          'failed',
          'error_rate',
          'p50_ms',
          'p90_ms',
          'p95_ms',
          'p99_ms',
          'max_ms',
        ],
        rows: r.endpoints.map((e) => [
          e.name,
          e.requests,
          round(e.ratePerSec),
          e.failed,
          round(e.errorRate, 6),
          round(e.latency.p50Ms),
          round(e.latency.p90Ms),
          round(e.latency.p95Ms),
          round(e.latency.p99Ms),
          round(e.latency.maxMs),
        ]),
      };
    case 'errors':
      return {
        columns: ['endpoint', 'status', 'count'],
        rows: r.errorsByStatus.map((e) => [e.name, e.status, e.count]),
      };
    case 'checks':
      return {
        columns: ['check', 'passes', 'fails'],
        rows: r.checks.map((c) => [c.name, c.passes, c.fails]),
      };
    case 'thresholds': {
      // k6's verdict (per process) beside the verdict on the store-wide figures.
      const store = new Map(r.storeThresholds.map((t) => [`${t.metric} ${t.expr}`, t]));
      return {
        columns: ['metric', 'expression', 'ok', 'store_value', 'store_ok'],
        rows: r.thresholds.map((t) => {
          const s = store.get(`${t.metric} ${t.expr}`);
          return [t.metric, t.expr, t.ok, round(s?.value ?? null, 6), s?.ok ?? null];
        }),
      };
    }
    case 'series':
      return {
        columns: ['time', 'requests', 'rate_per_s', 'p50_ms', 'p95_ms', 'p99_ms'],
        rows: report.series.map((p) => [
          new Date(p.t).toISOString(),
          p.requests,
          round(p.ratePerSec),
          round(p.p50Ms),
          round(p.p95Ms),
          round(p.p99Ms),
        ]),
      };
    default: {
      const unknown: never = table;
      throw new RangeError(`unknown table ${String(unknown)}`);
    }
  }
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  // A cell a spreadsheet would run as a formula (names come from scripts) is kept as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(table: Table): string {
  return `${[table.columns, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function reportCsv(report: RunReport, table: ReportTable): string {
  return tableToCsv(reportTable(report, table));
}

/** The report's tables as JSON objects (column → value), plus the raw results. */
export function reportJson(report: RunReport): string {
  const tables = Object.fromEntries(
    REPORT_TABLES.map((name) => {
      const t = reportTable(report, name);
      return [name, t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i] ?? null])))];
    }),
  );
  return `${JSON.stringify({ runId: report.results.runId, generatedAt: new Date(report.generatedAt).toISOString(), tables, report }, null, 2)}\n`;
}
