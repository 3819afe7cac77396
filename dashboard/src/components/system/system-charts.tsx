// The System page's charts over the chosen range: the collector's self-telemetry from the store
// (one point per step) with the live snapshots appended at the right edge.
import { type CollectorRates, withLiveEdge } from '../../lib/collector-health.ts';
import { formatCount, formatMs } from '../../lib/format.ts';
import { SYSTEM_THRESHOLDS } from '../../lib/system-thresholds.ts';
import type { CollectorHistory, InsertLatencyPoint } from '../../server/collector-history.ts';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';

export type ProbePoint = InsertLatencyPoint & { probeMs: number | null };

export const perSec = (v: number | null | undefined) =>
  v === null || v === undefined ? 'no data' : v < 10 ? `${v.toFixed(1)}/s` : `${formatCount(v)}/s`;

const STORE_LATENCY: ChartSeries<ProbePoint>[] = [
  { key: 'insertP50Ms', label: 'insert p50 (collector)', color: '#16a34a' },
  { key: 'insertP95Ms', label: 'insert p95 (collector)', color: '#d97706' },
  { key: 'probeMs', label: 'SELECT 1 from the dashboard (live)', color: '#334155' },
];
const ROUND_TRIP = SYSTEM_THRESHOLDS.storeRoundTripMs;
const LATENCY_GUIDES = [
  { y: ROUND_TRIP.warn, label: `amber > ${ROUND_TRIP.warn} ms`, color: '#d97706' },
  { y: ROUND_TRIP.bad, label: `red > ${ROUND_TRIP.bad} ms`, color: '#dc2626' },
];

const INGEST: ChartSeries<CollectorRates>[] = [
  { key: 'pointsPerSec', label: 'metric points', color: '#2563eb' },
  { key: 'spansPerSec', label: 'spans', color: '#7c3aed' },
  { key: 'logsPerSec', label: 'log records', color: '#0d9488' },
];
const ROWS: ChartSeries<CollectorRates>[] = [
  { key: 'writtenRowsPerSec', label: 'written', color: '#16a34a' },
  { key: 'queuedRowsPerSec', label: 'queued', color: '#d97706' },
  { key: 'replayedRowsPerSec', label: 'replayed', color: '#0891b2' },
  { key: 'droppedRowsPerSec', label: 'dropped', color: '#dc2626' },
];
const REFUSALS: ChartSeries<CollectorRates>[] = [
  { key: 'rejectedPerSec', label: 'items rejected', color: '#dc2626' },
  { key: 'refusedRequestsPerSec', label: 'requests refused', color: '#f97316' },
  { key: 'insertFailuresPerSec', label: 'insert failures (live only)', color: '#7f1d1d' },
];

export function SystemCharts({
  history,
  liveRates,
  liveProbes,
  domain,
}: {
  history: CollectorHistory | undefined;
  liveRates: readonly CollectorRates[];
  liveProbes: readonly ProbePoint[];
  domain: readonly [number, number];
}) {
  const to = history?.to ?? Number.NEGATIVE_INFINITY;
  const rates = withLiveEdge(history?.rates ?? [], liveRates, to);
  const probes = withLiveEdge<ProbePoint>(
    (history?.inserts ?? []).map((p) => ({ ...p, probeMs: null })),
    liveProbes,
    to,
  );
  return (
    <section className="charts" data-testid="sys-charts" data-history-points={history?.rates.length ?? 0}>
      <TimeSeriesChart
        title="Ingest (items/s)"
        data={rates}
        series={INGEST}
        domain={domain}
        formatY={perSec}
        testId="sys-ingest-chart"
        yMinTop={1}
      />
      <div className="chart-pair">
        <TimeSeriesChart
          title="Rows into the store (rows/s)"
          data={rates}
          series={ROWS}
          domain={domain}
          formatY={perSec}
          testId="sys-rows-chart"
          yMinTop={1}
        />
        <TimeSeriesChart
          title="Refused and failed (/s)"
          data={rates}
          series={REFUSALS}
          domain={domain}
          formatY={perSec}
          testId="sys-refused-chart"
          yMinTop={1}
        />
      </div>
      <TimeSeriesChart
        title="Store latency (ms)"
        data={probes}
        series={STORE_LATENCY}
        domain={domain}
        formatY={(v) => formatMs(v)}
        testId="sys-store-chart"
        height={180}
        yMinTop={1}
        references={LATENCY_GUIDES}
      />
    </section>
  );
}
