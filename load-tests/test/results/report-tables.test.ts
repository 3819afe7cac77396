// Exported tables: CSV that spreadsheets read as data (quotes, commas, formula-looking names) and
// HTML that shows hostile names as text.
import { expect, test } from 'vitest';
import { reportHtml } from '../../src/results/report-html.ts';
import { reportCsv } from '../../src/results/report-tables.ts';
import type { RunReport } from '../../src/results/run-report.ts';

const latency = { count: 3, avgMs: 20, p50Ms: 10, p90Ms: 30, p95Ms: 40, p99Ms: 50, maxMs: 60 };
const report: RunReport = {
  generatedAt: Date.parse('2026-11-23T01:00:00Z'),
  stepSeconds: 1,
  series: [
    { t: Date.parse('2026-11-23T00:59:00Z'), requests: 2, ratePerSec: 2, p50Ms: 10, p95Ms: 30, p99Ms: 40 },
    {
      t: Date.parse('2026-11-23T00:59:01Z'),
      requests: 0,
      ratePerSec: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    },
    { t: Date.parse('2026-11-23T00:59:02Z'), requests: 1, ratePerSec: 1, p50Ms: 60, p95Ms: 60, p99Ms: 60 },
  ],
  distribution: [
    { lowerMs: 8, upperMs: 16, count: 2 },
    { lowerMs: 45, upperMs: 64, count: 1 },
  ],
  results: {
    runId: 'run_x',
    scenario: 'smoke',
    state: 'finished',
    params: {},
    target: 'http://127.0.0.1:8080',
    startedAt: Date.parse('2026-11-23T00:59:00Z'),
    endedAt: Date.parse('2026-11-23T00:59:03Z'),
    durationSec: 3,
    percentiles: { source: 'exponential', errorBound: 0.01, description: 'estimated' },
    totals: {
      requests: 3,
      ratePerSec: 1,
      failed: 1,
      errorRate: 1 / 3,
      iterations: 1,
      dataSentBytes: 10,
      dataReceivedBytes: 20,
      latency,
    },
    endpoints: [{ name: 'GET /a, "b"', requests: 3, ratePerSec: 1, failed: 1, errorRate: 1 / 3, latency }],
    errorsByStatus: [{ name: 'GET /a, "b"', status: '500', count: 1 }],
    checks: [{ name: '=HYPERLINK("http://evil")<script>', passes: 2, fails: 1 }],
    thresholds: [{ metric: 'http_req_duration', expr: 'p(95)<200', ok: true }],
    storeThresholds: [{ metric: 'http_req_duration', expr: 'p(95)<200', value: 40, ok: true }],
    server: null,
  },
};

test('CSV quotes commas and quotes, and keeps formula-looking cells as text', () => {
  expect(reportCsv(report, 'endpoints').split('\r\n')[1]).toBe(
    '"GET /a, ""b""",3,1,1,0.333333,10,30,40,50,60',
  );
  expect(reportCsv(report, 'checks').split('\r\n')[1]).toBe('"\'=HYPERLINK(""http://evil"")<script>",2,1');
  expect(reportCsv(report, 'series').split('\r\n')[2]).toBe('2026-11-23T00:59:01.000Z,0,0,,,');
  expect(reportCsv(report, 'thresholds')).toBe(
    'metric,expression,ok,store_value,store_ok\r\nhttp_req_duration,p(95)<200,true,40,true\r\n',
  );
});

test('HTML escapes names and draws gaps where a step had no requests', () => {
  const html = reportHtml(report);
  expect(html).not.toContain('<script');
  expect(html).toContain('&#60;script&#62;');
  // p50 line: a point, a gap, a point → two path segments (two M commands).
  const p50 = html.match(/<path d="([^"]*)"[^>]*><title>p50<\/title>/)?.[1] ?? '';
  expect(p50.match(/M/g)?.length).toBe(2);
  expect(html.match(/<circle /g)?.length).toBe(6);
  expect(html.match(/<rect [^>]*fill="#2563eb"><title>/g)?.length).toBe(2);
});
