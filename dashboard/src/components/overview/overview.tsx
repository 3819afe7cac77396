'use client';
// The Overview: the target's latency percentiles, request rate and error rate over the chosen
// range, live (a new snapshot every 2 s over SSE), with the current figures, active alerts and
// the running load test. The first view comes from the server (app/page.tsx); the live streams
// open once the page has loaded and replace it.
import { useSubscription } from '@trpc/tanstack-react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import type { TrafficPoint } from '../../lib/chart-data.ts';
import { formatMs, formatPercent, formatRate } from '../../lib/format.ts';
import { estimateTitle } from '../../lib/histogram-estimate.ts';
import { type RunStreamEvent, runsNewestFirst } from '../../lib/run-stream.ts';
import { isActive } from '../../lib/run-view.ts';
import { parseTimeRange, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import { type RouterOutputs, type Streamed, useTRPC } from '../../trpc/react.tsx';
import { BigNumber } from '../big-number.tsx';
import { OverviewScores, type ScoresSnapshot } from '../scores/overview-scores.tsx';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';
import { type AlertsSnapshot, useLiveAlerts, useLiveRuns } from '../use-live.ts';
import { usePageSettled } from '../use-page-settled.ts';
import { ActiveAlerts } from './active-alerts.tsx';
import { ActiveRun } from './active-run.tsx';
import { RangePicker } from './range-picker.tsx';

const latencySeries: ChartSeries<TrafficPoint>[] = [
  { key: 'p50Ms', range: 'p50RangeMs', label: 'p50', color: '#2563eb' },
  { key: 'p95Ms', range: 'p95RangeMs', label: 'p95', color: '#d97706' },
  { key: 'p99Ms', range: 'p99RangeMs', label: 'p99', color: '#dc2626' },
];
const rateSeries: ChartSeries<TrafficPoint>[] = [{ key: 'rate', label: 'requests/s', color: '#059669' }];
const errorSeries: ChartSeries<TrafficPoint>[] = [{ key: 'errorRate', label: '5xx share', color: '#dc2626' }];

type TrafficSnapshot = Streamed<RouterOutputs['metrics']['traffic']>;

/** Each stream's first snapshot, read by the server for the range in the URL (undefined: not in time). */
export interface OverviewInitial {
  range: TimeRange;
  traffic: TrafficSnapshot | undefined;
  scores: ScoresSnapshot | undefined;
  alerts: AlertsSnapshot | undefined;
  runs: RunStreamEvent | undefined;
}

export function Overview({ initial }: { initial: OverviewInitial }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const range = parseTimeRange(searchParams.get('range'));
  const setRange = useCallback(
    (next: TimeRange) => {
      const params = new URLSearchParams(searchParams.toString());
      params.set('range', next);
      // The browser's own history API (Next keeps useSearchParams in step): the live stream for the
      // new range takes over at once, without a server round trip for a new first view.
      window.history.replaceState(null, '', `${pathname}?${params.toString()}`);
    },
    [pathname, searchParams],
  );

  // The first view is already here: the long-lived SSE streams open once the page has settled,
  // or at once for a range the server did not read.
  const live = usePageSettled() || range !== initial.range;
  const traffic = useSubscription(trpc.metrics.traffic.subscriptionOptions({ range }, { enabled: live }));
  const snapshot =
    traffic.data?.range === range
      ? traffic.data
      : initial.traffic?.range === range
        ? initial.traffic
        : undefined;
  const alerts = useLiveAlerts({ initial: initial.alerts, enabled: live });
  const runs = useLiveRuns({ initial: initial.runs, enabled: live });
  const recentRuns = runsNewestFirst(runs);
  const activeRun = recentRuns.find(isActive);
  const now = snapshot?.at ?? alerts.snapshot?.at ?? 0;
  const current = snapshot?.current;
  const domain = snapshot ? ([snapshot.from, snapshot.to] as const) : ([0, 1] as const);
  const points = snapshot?.points ?? [];
  const hint = `last ${current?.windowSeconds ?? 60} s`;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">
            car-suggester API ·{' '}
            {/* The clock time is the browser's zone, the server's may differ: no hydration warning. */}
            <span data-testid="traffic-status" suppressHydrationWarning>
              {connectionLabel(traffic.status, snapshot?.at)}
            </span>
          </p>
        </div>
        <RangePicker value={range} onChange={setRange} />
      </div>

      {snapshot?.error ? <p className="error-box">{snapshot.error}</p> : null}
      {traffic.error ? <p className="error-box">Live connection lost: {traffic.error.message}</p> : null}

      <OverviewScores range={range} initial={initial.scores} live={live} />

      <section className="numbers" aria-label="Current values">
        {/* Estimated from histogram buckets: the hover text gives the bucket that bounds each. */}
        {(['p50', 'p95', 'p99'] as const).map((q) => (
          <BigNumber
            key={q}
            label={`${q} latency`}
            value={formatMs(current?.[`${q}Ms`])}
            hint={hint}
            testId={`${q}-value`}
            title={estimateTitle(current?.[`${q}RangeMs`])}
          />
        ))}
        <BigNumber
          label="Request rate"
          value={formatRate(current?.reqRate)}
          hint={hint}
          testId="rate-value"
        />
        <BigNumber
          label="Error rate (5xx)"
          value={formatPercent(current?.errorRate)}
          hint={hint}
          testId="error-rate-value"
          {...(typeof current?.errorRate === 'number'
            ? { tone: current.errorRate > 0.001 ? 'bad' : 'ok' }
            : {})}
        />
      </section>

      <section className="charts">
        <TimeSeriesChart
          title={`Latency (ms), ${TIME_RANGES[range].stepSeconds} s steps`}
          data={points}
          series={latencySeries}
          domain={domain}
          formatY={(v) => formatMs(v)}
          testId="latency-chart"
          yMinTop={10}
        />
        <div className="chart-pair">
          <TimeSeriesChart
            title="Request rate"
            data={points}
            series={rateSeries}
            domain={domain}
            formatY={(v) => formatRate(v)}
            testId="rate-chart"
            yMinTop={1}
            height={180}
          />
          <TimeSeriesChart
            title="Error rate (5xx)"
            data={points}
            series={errorSeries}
            domain={domain}
            formatY={(v) => formatPercent(v)}
            testId="error-chart"
            yMinTop={0.01}
            height={180}
          />
        </div>
      </section>

      <div className="two-col">
        <section className="panel">
          <h2>Active alerts</h2>
          <ActiveAlerts
            alerts={alerts.snapshot?.active ?? []}
            now={now}
            empty={alerts.snapshot ? 'Nothing pending or firing.' : 'Connecting to the alert engine…'}
          />
        </section>
        <section className="panel">
          <h2>Load test</h2>
          <ActiveRun run={activeRun} latest={recentRuns[0]} />
        </section>
      </div>
    </div>
  );
}

function connectionLabel(status: string, at: number | undefined): string {
  if (status === 'error') return 'disconnected';
  if (!at) return 'connecting…';
  return `live, updated ${new Date(at).toLocaleTimeString('en-GB', { hour12: false })}`;
}
