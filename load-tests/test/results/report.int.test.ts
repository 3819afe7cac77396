// Exports of a real run: a self-contained HTML report (inline SVG charts, nothing fetched, values
// escaped), CSV and JSON of its tables — through the library and through the CLI as a person runs it.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reportHtml } from '../../src/results/report-html.ts';
import { reportCsv, reportJson } from '../../src/results/report-tables.ts';
import { queryRunReport, type RunReport } from '../../src/results/run-report.ts';
import type { EndedRun } from '../../src/run-state.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
let loop: StoreLoop;
let run: EndedRun;
let slow: EndedRun;
let report: RunReport;
beforeAll(async () => {
  loop = await startStoreLoop();
  run = await loop.smoke({ duration: '6s', vus: 4, histograms: 'exponential' });
  await loop.setChaos({ latencyMs: 250 });
  // Enough requests in all (≥ 30) for the comparison to judge the run as a whole.
  slow = await loop.smoke({ duration: '5s', vus: 6 });
  await loop.setChaos({});
  report = await queryRunReport(loop.store.client, run.id);
});
afterAll(async () => {
  await loop?.close();
  if (loop) rmSync(loop.dir, { recursive: true, force: true });
});

test('the HTML report is one self-contained file with both charts and every table', () => {
  expect(report.series.length).toBeGreaterThanOrEqual(3);
  expect(report.series.reduce((a, p) => a + p.requests, 0)).toBe(report.results.totals.requests);
  expect(report.distribution.reduce((a, b) => a + b.count, 0)).toBe(report.results.totals.requests);
  const html = reportHtml(report);
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).not.toMatch(/<script|<link|<img|\ssrc=|href=|@import|url\(/i);
  expect(html.match(/<svg /g)?.length).toBe(2);
  expect(html).toContain('aria-label="Latency percentiles over time (ms)"');
  expect(html).toContain('aria-label="Latency distribution');
  for (const e of report.results.endpoints) expect(html).toContain(`<td>${e.name}</td>`);
  expect(html).toContain('p(95)&#60;200');
  expect(html).toContain(run.id);
});

test('CSV and JSON carry the same tables', () => {
  const csv = reportCsv(report, 'endpoints').trimEnd().split('\r\n');
  expect(csv[0]).toBe('endpoint,requests,rate_per_s,failed,error_rate,p50_ms,p90_ms,p95_ms,p99_ms,max_ms');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(report.results.endpoints.map((e) => e.name));
  const total = csv.slice(1).reduce((a, l) => a + Number(l.split(',')[1]), 0);
  expect(total).toBe(report.results.totals.requests);
  const checks = reportCsv(report, 'checks');
  expect(checks.split('\r\n')[0]).toBe('check,passes,fails');
  const json = JSON.parse(reportJson(report));
  expect(json.runId).toBe(run.id);
  expect(json.tables.endpoints.map((e: { endpoint: string }) => e.endpoint)).toEqual(
    report.results.endpoints.map((e) => e.name),
  );
  expect(json.tables.summary.find((r: { figure: string }) => r.figure === 'requests').value).toBe(
    report.results.totals.requests,
  );
  expect(json.tables.series.length).toBe(report.series.length);
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Offline: a data directory named explicitly (no server), as a copy of one would be.
    const child = spawn(process.execPath, [CLI, ...args, '--data-dir', loop.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PERF_SERVER_URL: '', PERF_TOKEN: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the CLI prints results and comparisons and writes exports from the store', async () => {
  // chDB holds a data directory per process: hand the store over to the CLI.
  await loop.close({ keepData: true });
  const results = await runCli(['results', run.id]);
  expect(results.stderr).toBe('');
  expect(results.code).toBe(0);
  expect(results.stdout).toContain(`run ${run.id}: smoke, finished`);
  expect(results.stdout).toMatch(/GET \/api\/cars\/:id: \d+ req/);
  expect(results.stdout).toMatch(/(ok {2}|FAIL) http_req_duration p\(95\)<200/);

  const cmp = await runCli(['compare', run.id, slow.id]);
  // A figure worse beyond noise is a regression: exit 1.
  expect(cmp.code).toBe(1);
  expect(cmp.stdout).toContain('fixed: fewer than 3 comparable runs');
  expect(cmp.stdout).toMatch(/p95 [\d.]+ → [\d.]+ \(\+[\d.]+ %\) ▲ WORSE/);
  expect(cmp.stdout).toMatch(/what changed most:\n {4}\(all\) p\d\d [\d.]+ → [\d.]+ \(\+[\d.]+ %\) ▲ WORSE/);
  expect(cmp.stdout).toMatch(
    /POST \/api\/auth\/register — too few requests to judge \(\d+ and \d+; at least 30 each\)/,
  );
  expect(cmp.stdout).toMatch(/threshold http_req_duration p\(95\)<200: (ok|FAIL) → FAIL/);
  expect(cmp.stdout).toMatch(/\n {2}[1-9]\d* figure\(s\) worse, \d+ better beyond noise\n?$/);

  const out = join(loop.dir, 'report.html');
  const exp = await runCli(['export', run.id, '--format', 'html', '--out', out]);
  expect(exp.code).toBe(0);
  expect(readFileSync(out, 'utf8')).toContain('<svg ');
  const csvOut = join(loop.dir, 'errors.csv');
  expect(
    (await runCli(['export', slow.id, '--format', 'csv', '--table', 'checks', '--out', csvOut])).code,
  ).toBe(0);
  expect(readFileSync(csvOut, 'utf8').split('\r\n')[0]).toBe('check,passes,fails');

  const bad = await runCli(['export', run.id, '--format', 'pdf', '--out', out]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('use --format html, csv or json');
  const unknown = await runCli(['results', 'run_missing']);
  expect(unknown.code).toBe(4);
  expect(unknown.stderr).toContain('no run run_missing');
});
