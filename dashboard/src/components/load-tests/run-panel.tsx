'use client';
// One run, live: state, k6's numbers each second, thresholds, a small chart of p95 and req/s,
// a Stop button; once it ends, the result from k6's end-of-test summary.
import { useMutation } from '@tanstack/react-query';
import type { LiveThreshold, RunResult, ThresholdResult } from 'load-tests/model';
import Link from 'next/link';
import type { LivePoint } from '../../lib/chart-data.ts';
import { compareHref } from '../../lib/compare-view.ts';
import {
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatRate,
  formatVus,
} from '../../lib/format.ts';
import { isActive, type RunView } from '../../lib/run-view.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { StateBadge } from '../state-badge.tsx';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';

const p95Series: ChartSeries<LivePoint>[] = [{ key: 'p95Ms', label: 'p95', color: '#d97706' }];
const rateSeries: ChartSeries<LivePoint>[] = [{ key: 'reqRate', label: 'req/s', color: '#059669' }];

export function RunPanel({
  run,
  history,
  now,
}: {
  run: RunView;
  history: readonly LivePoint[];
  now: number;
}) {
  const trpc = useTRPC();
  const stop = useMutation(trpc.runs.stop.mutationOptions());
  const canStop = useCan('qa');
  const active = isActive(run);
  const live = run.live;
  const first = history[0]?.t ?? run.startedAt ?? run.createdAt;
  const last = Math.max(history[history.length - 1]?.t ?? first, first + 10_000);
  const elapsed = run.startedAt ? (run.endedAt ?? now) - run.startedAt : null;

  return (
    <section className="panel run-panel" data-testid="run-panel" data-run-id={run.id}>
      <div className="run-head">
        <div>
          <h2>
            {run.scenario} <span className="muted mono small">{run.id}</span>
          </h2>
          <div className="muted small">
            {formatVus(run.params.vus)} · {String(run.params.duration ?? '?')} · {run.target}
            {elapsed !== null && elapsed >= 0 ? ` · ${formatDuration(elapsed)} elapsed` : ''}
          </div>
        </div>
        <div className="run-actions">
          <StateBadge state={run.state} testId="run-state" />
          <Link href={`/runs/${encodeURIComponent(run.id)}`} data-testid="run-report-link">
            Report
          </Link>
          {run.startedAt ? (
            <Link href={`/scores?run=${encodeURIComponent(run.id)}`} data-testid="run-scores-link">
              Scores
            </Link>
          ) : null}
          {!active ? (
            <Link
              href={compareHref({ scenario: run.scenario, candidate: run.id })}
              data-testid="run-compare-link"
            >
              Compare…
            </Link>
          ) : null}
          {active && canStop ? (
            <button
              type="button"
              className="danger"
              onClick={() => stop.mutate({ id: run.id })}
              disabled={stop.isPending || run.state === 'stopping'}
              data-testid="stop-button"
            >
              {run.state === 'stopping' ? 'Stopping…' : 'Stop'}
            </button>
          ) : null}
        </div>
      </div>
      {stop.error ? <p className="error-box">{stop.error.message}</p> : null}
      {run.reason ? (
        <p className={run.state === 'failed' ? 'error-box' : 'note'} data-testid="run-reason">
          {run.reason}
        </p>
      ) : null}

      {active || !run.result ? (
        <>
          <div className="stat-row" data-testid="run-live">
            <Stat label="VUs" value={live ? String(live.vus) : '—'} testId="live-vus" />
            <Stat label="Requests/s" value={live ? formatRate(live.reqRate) : '—'} testId="live-rate" />
            <Stat label="p95 so far" value={live ? formatMs(live.p95Ms) : '—'} testId="live-p95" />
            <Stat label="Errors" value={live ? formatPercent(live.errorRate) : '—'} testId="live-errors" />
            <Stat label="Requests" value={live ? formatCount(live.httpReqs) : '—'} testId="live-requests" />
          </div>
          {live && live.thresholds.length > 0 ? <Thresholds items={live.thresholds} live /> : null}
        </>
      ) : null}

      {history.length > 0 ? (
        <div className="chart-pair">
          <TimeSeriesChart
            title="p95 (ms), live"
            data={history}
            series={p95Series}
            domain={[first, last]}
            formatY={(v) => formatMs(v)}
            testId="run-p95-chart"
            yMinTop={10}
            height={160}
          />
          <TimeSeriesChart
            title="Requests/s, live"
            data={history}
            series={rateSeries}
            domain={[first, last]}
            formatY={(v) => formatRate(v)}
            testId="run-rate-chart"
            yMinTop={1}
            height={160}
          />
        </div>
      ) : null}

      {run.result ? <Result result={run.result} stoppedEarly={run.state !== 'finished'} /> : null}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Thresholds({
  items,
  live,
}: {
  items: readonly (ThresholdResult | LiveThreshold)[];
  live?: boolean;
}) {
  return (
    <div className="thresholds" data-testid={live ? 'live-thresholds' : 'result-thresholds'}>
      <h3>Thresholds{live ? ' (so far)' : ''}</h3>
      <ul>
        {items.map((t) => (
          <li key={`${t.metric} ${t.expr ?? ''}`} className={t.ok ? 'ok' : 'bad'} data-testid="threshold">
            <span aria-hidden="true">{t.ok ? '✓' : '✗'}</span>
            <span className="visually-hidden">{t.ok ? 'passed' : 'failed'}</span>{' '}
            <span className="mono">{t.metric}</span>
            {t.expr ? <span className="mono muted"> {t.expr}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Result({ result, stoppedEarly }: { result: RunResult; stoppedEarly: boolean }) {
  const s = result.stats;
  return (
    <div className="result" data-testid="run-result">
      <div className={result.thresholdsPassed ? 'verdict ok' : 'verdict bad'} data-testid="result-verdict">
        {result.thresholdsPassed ? '✓ All thresholds passed' : '✗ Thresholds failed'}
        {stoppedEarly ? <span className="muted small"> (until the run was stopped)</span> : null}
      </div>
      <div className="muted small" data-testid="result-exit">
        exit code {result.exitCode ?? '—'}: {result.exitMeaning}
      </div>
      {s ? (
        <>
          <div className="stat-row">
            <Stat label="p50" value={formatMs(s.p50Ms)} testId="result-p50" />
            <Stat label="p90" value={formatMs(s.p90Ms)} testId="result-p90" />
            <Stat label="p95" value={formatMs(s.p95Ms)} testId="result-p95" />
            <Stat label="p99" value={formatMs(s.p99Ms)} testId="result-p99" />
            <Stat label="max" value={formatMs(s.maxMs)} testId="result-max" />
          </div>
          <p className="muted small" data-testid="result-percentile-origin">
            Percentiles{' '}
            {result.percentiles ? result.percentiles.description : "from k6's end-of-test summary"}.
          </p>
          <div className="stat-row">
            <Stat label="Requests" value={formatCount(s.httpReqs)} testId="result-requests" />
            <Stat label="Requests/s" value={formatRate(s.reqRate)} testId="result-rate" />
            <Stat label="Errors" value={formatPercent(s.errorRate)} testId="result-errors" />
            <Stat label="Checks passed" value={formatPercent(s.checksRate)} testId="result-checks" />
            <Stat label="Duration" value={formatDuration(s.durationMs)} testId="result-duration" />
          </div>
        </>
      ) : (
        <p className="note">k6 ended without writing its summary, so there are no statistics for this run.</p>
      )}
      <div className="result-details">
        {result.thresholds.length > 0 ? <Thresholds items={result.thresholds} /> : null}
        {result.perEndpoint && result.perEndpoint.length > 0 ? (
          <div data-testid="result-endpoints">
            <h3>Per endpoint</h3>
            <table className="table compact">
              <thead>
                <tr>
                  <th>Endpoint</th>
                  <th>Requests</th>
                  <th>p95</th>
                </tr>
              </thead>
              <tbody>
                {result.perEndpoint.map((e) => (
                  <tr key={e.name}>
                    <td className="mono small">{e.name}</td>
                    <td>{formatCount(e.count)}</td>
                    <td>{formatMs(e.p95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </div>
  );
}
