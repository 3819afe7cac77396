'use client';
// One run's report, Gatling's report as the model: who ran what and how it ended, percentiles over
// time, the distribution, per-endpoint figures, errors, checks, thresholds, the target's own view
// of the same window, the log; exports, and marking the run as its scenario's baseline.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { compareHref } from '../../lib/compare-view.ts';
import { formatCount, formatDuration, formatMs, formatPercent, formatRate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { StateBadge } from '../state-badge.tsx';
import { LatencyDistribution, PercentilesOverTime } from './report-charts.tsx';
import { ChecksTable, EndpointTable, ErrorsTable, ThresholdTable } from './report-tables.tsx';

const CSV_TABLES = ['endpoints', 'errors', 'checks', 'thresholds', 'series', 'summary'] as const;

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const paramsText = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');

export function RunReportPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canMark = useCan('qa');
  const [csvTable, setCsvTable] = useState<(typeof CSV_TABLES)[number]>('endpoints');
  const query = useQuery(trpc.reports.run.queryOptions({ id }));
  const mark = useMutation(
    trpc.reports.markBaseline.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reports.run.queryKey({ id }) }),
    }),
  );

  if (query.error)
    return (
      <div className="stack">
        <h1>Run report</h1>
        <p className="error-box" data-testid="report-error">
          Could not load run {id}: {query.error.message}
        </p>
        <p>
          Pick a run from the <Link href="/load-tests">Load tests</Link> page, or launch one there.
        </p>
      </div>
    );
  if (!query.data) return <p className="muted">Loading the report of {id}…</p>;

  const { report, run, baseline, log } = query.data;
  const r = report.results;
  const t = r.totals;
  const exportHref = (format: string, table?: string) =>
    `/api/runs/${encodeURIComponent(id)}/export?format=${format}${table ? `&table=${table}` : ''}`;
  const isBaseline = baseline?.runId === id;
  const ended = r.endedAt !== null;

  return (
    <div className="stack" data-testid="run-report" data-run-id={id}>
      <section className="panel run-panel">
        <div className="run-head">
          <div>
            <h1>
              {r.scenario} <span className="muted mono small">{id}</span>
            </h1>
            <div className="muted small" data-testid="report-params">
              {paramsText(r.params)} · target {r.target}
            </div>
            <div className="muted small">
              Launched by <strong>{run.launchedBy || 'unknown'}</strong>
              {r.startedAt
                ? ` · started ${new Date(r.startedAt).toLocaleString('en-GB')}`
                : ' · never started'}
              {` · ${formatDuration(r.durationSec * 1000)}`}
              {run.exitCode !== null ? ` · exit code ${run.exitCode}` : ''}
              {run.exitMeaning ? ` (${run.exitMeaning})` : ''}
            </div>
          </div>
          <div className="run-actions">
            <StateBadge state={r.state} testId="report-state" />
            {isBaseline ? <span className="badge badge-finished">baseline</span> : null}
          </div>
        </div>
        {run.reason ? <p className={r.state === 'failed' ? 'error-box' : 'note'}>{run.reason}</p> : null}
        {!ended ? (
          <p className="note" data-testid="report-active">
            This run is still {r.state}: the figures below are so far. Watch it live on the{' '}
            <Link href={`/load-tests?run=${encodeURIComponent(id)}`}>Load tests</Link> page.
          </p>
        ) : null}
        <div className="run-actions" style={{ flexWrap: 'wrap' }}>
          <a href={exportHref('html')} download data-testid="export-html">
            Export HTML
          </a>
          <a href={exportHref('json')} download data-testid="export-json">
            Export JSON
          </a>
          <span>
            <a href={exportHref('csv', csvTable)} download data-testid="export-csv">
              Export CSV
            </a>{' '}
            <select
              aria-label="Table to export as CSV"
              value={csvTable}
              onChange={(e) => setCsvTable(e.target.value as (typeof CSV_TABLES)[number])}
            >
              {CSV_TABLES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </span>
          <Link href={`/scores?run=${encodeURIComponent(id)}`}>Scores of this run</Link>
          {baseline && !isBaseline ? (
            <Link
              href={compareHref({ scenario: r.scenario, base: baseline.runId, candidate: id })}
              data-testid="compare-baseline"
            >
              Compare with baseline
            </Link>
          ) : (
            <Link href={compareHref({ scenario: r.scenario, candidate: id })} data-testid="compare-link">
              Compare…
            </Link>
          )}
          {canMark && !isBaseline ? (
            <button
              type="button"
              onClick={() => mark.mutate({ id })}
              disabled={mark.isPending || !ended}
              title={ended ? undefined : 'only an ended run can be a baseline'}
              data-testid="mark-baseline"
            >
              {mark.isPending ? 'Marking…' : 'Mark as baseline'}
            </button>
          ) : null}
        </div>
        {mark.error ? <p className="error-box">{mark.error.message}</p> : null}
        <p className="muted small" data-testid="baseline-note">
          {isBaseline
            ? `This run is the ${r.scenario} baseline (marked by ${baseline.markedBy || 'unknown'}).`
            : baseline
              ? `The ${r.scenario} baseline is ${baseline.runId}.`
              : `The ${r.scenario} scenario has no baseline yet${canMark ? ': mark an ended run as one to compare later runs against it' : ' (qa marks one)'}.`}
        </p>
        <div className="stat-row">
          <Stat label="Requests" value={formatCount(t.requests)} testId="report-requests" />
          <Stat label="Rate" value={formatRate(t.ratePerSec)} />
          <Stat label="p95" value={formatMs(t.latency.p95Ms)} testId="report-p95" />
          <Stat label="p99" value={formatMs(t.latency.p99Ms)} />
          <Stat label="Errors" value={formatPercent(t.errorRate)} testId="report-errors" />
          <Stat label="Iterations" value={formatCount(t.iterations)} />
          <Stat
            label="Data in / out"
            value={`${formatBytes(t.dataReceivedBytes)} / ${formatBytes(t.dataSentBytes)}`}
          />
        </div>
      </section>

      <section className="panel">
        <h2>Latency over time</h2>
        {report.series.length === 0 ? (
          <p className="muted">No k6 metrics in the store for this run, so nothing to chart.</p>
        ) : null}
        <PercentilesOverTime series={report.series} stepSeconds={report.stepSeconds} />
        <LatencyDistribution buckets={report.distribution} />
        <p className="muted small" data-testid="percentile-origin">
          Percentiles {r.percentiles.description}.
        </p>
      </section>

      <section className="panel">
        <h2>Endpoints</h2>
        <EndpointTable results={r} />
      </section>

      <div className="two-col">
        <section className="panel">
          <h2>Thresholds</h2>
          <ThresholdTable results={r} />
        </section>
        <section className="panel">
          <h2>Target's own view</h2>
          {r.server ? (
            <div className="stat-row" data-testid="report-server">
              <Stat label="Service" value={r.server.service} />
              <Stat label="Requests served" value={formatCount(r.server.requests)} />
              <Stat label="Server p95" value={formatMs(r.server.p95Ms)} />
              <Stat label="5xx share" value={formatPercent(r.server.errorRate)} />
            </div>
          ) : (
            <p className="muted" data-testid="report-server-empty">
              No server-side metrics over this run's window. Start the target with its OpenTelemetry export
              pointed at the collector to see its side of the run.
            </p>
          )}
        </section>
      </div>

      <div className="two-col">
        <section className="panel">
          <h2>Errors by status</h2>
          <ErrorsTable results={r} />
        </section>
        <section className="panel">
          <h2>Checks</h2>
          <ChecksTable results={r} />
        </section>
      </div>

      <section className="panel">
        <h2>Log</h2>
        {log ? (
          <pre
            className="mono small"
            style={{ maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap' }}
            data-testid="report-log"
          >
            {log}
          </pre>
        ) : (
          <p className="muted">
            The log is shown for runs this dashboard process launched; it stays in the run's folder on the
            server for older runs.
          </p>
        )}
      </section>
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
