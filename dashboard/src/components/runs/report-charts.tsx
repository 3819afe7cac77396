'use client';
// Charts of run reports: percentiles over time and the latency distribution of one run, two runs'
// percentiles overlaid (baseline solid, candidate dashed), and a scenario's figures across runs.
import type { DistributionBucket, SeriesPoint } from 'load-tests/results';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMs, formatRate } from '../../lib/format.ts';
import { LatencyHistogram } from '../service/latency-histogram.tsx';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';
import { type OverlayRow, overlayRows, type TrendRow } from './overlay-data.ts';

const COLORS = { p50: '#059669', p95: '#d97706', p99: '#dc2626' };
const percentileSeries: ChartSeries<SeriesPoint>[] = [
  { key: 'p50Ms', label: 'p50', color: COLORS.p50 },
  { key: 'p95Ms', label: 'p95', color: COLORS.p95 },
  { key: 'p99Ms', label: 'p99', color: COLORS.p99 },
];
const rateSeries: ChartSeries<SeriesPoint>[] = [{ key: 'ratePerSec', label: 'req/s', color: '#2563eb' }];

export function PercentilesOverTime({
  series,
  stepSeconds,
}: {
  series: readonly SeriesPoint[];
  stepSeconds: number;
}) {
  const from = series[0]?.t ?? 0;
  const to = Math.max((series.at(-1)?.t ?? from) + stepSeconds * 1000, from + 10_000);
  return (
    <div className="chart-pair">
      <TimeSeriesChart
        title={`Latency percentiles over time (ms, ${stepSeconds} s steps)`}
        data={series}
        series={percentileSeries}
        domain={[from, to]}
        formatY={(v) => formatMs(v)}
        testId="report-percentiles"
        yMinTop={10}
      />
      <TimeSeriesChart
        title="Requests per second"
        data={series}
        series={rateSeries}
        domain={[from, to]}
        formatY={(v) => formatRate(v)}
        testId="report-rate"
        yMinTop={1}
      />
    </div>
  );
}

const rangeLabel = (b: DistributionBucket) =>
  `${formatMs(b.lowerMs).replace(' ms', '')}–${formatMs(b.upperMs)}`;

export function LatencyDistribution({ buckets }: { buckets: readonly DistributionBucket[] }) {
  return (
    <LatencyHistogram
      bars={buckets.map((b) => ({ label: rangeLabel(b), count: b.count }))}
      title="Latency distribution: requests per latency range"
      testId="report-distribution"
      empty="no requests recorded for this run"
    />
  );
}

const overlayLines: { key: keyof OverlayRow; label: string; color: string; dashed: boolean }[] = [
  { key: 'baseP50', label: 'baseline p50', color: COLORS.p50, dashed: false },
  { key: 'baseP95', label: 'baseline p95', color: COLORS.p95, dashed: false },
  { key: 'baseP99', label: 'baseline p99', color: COLORS.p99, dashed: false },
  { key: 'candP50', label: 'candidate p50', color: COLORS.p50, dashed: true },
  { key: 'candP95', label: 'candidate p95', color: COLORS.p95, dashed: true },
  { key: 'candP99', label: 'candidate p99', color: COLORS.p99, dashed: true },
];

export function OverlaidPercentiles({
  base,
  candidate,
}: {
  base: readonly SeriesPoint[];
  candidate: readonly SeriesPoint[];
}) {
  const rows = overlayRows(base, candidate);
  const points = rows.filter((r) => r.baseP95 !== null || r.candP95 !== null).length;
  return (
    <figure className="chart" data-testid="compare-overlay" data-points={points}>
      <figcaption>
        Latency percentiles (ms) by seconds into the run — baseline solid, candidate dashed
      </figcaption>
      <div className="chart-body" style={{ height: 280 }}>
        {points === 0 ? <div className="chart-empty">neither run has latency data in the store</div> : null}
        <LineChart
          responsive
          style={{ width: '100%', height: 280 }}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
          <XAxis
            dataKey="s"
            type="number"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(s: number) => `${s} s`}
            tick={{ fontSize: 12 }}
          />
          <YAxis tickFormatter={(v: number) => formatMs(v)} tick={{ fontSize: 12 }} width={76} />
          <Tooltip
            labelFormatter={(s) => `${s} s into the run`}
            formatter={(v) => (typeof v === 'number' ? formatMs(v) : String(v))}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {overlayLines.map((l) => (
            <Line
              key={l.key}
              dataKey={l.key}
              name={l.label}
              stroke={l.color}
              strokeWidth={2}
              strokeDasharray={l.dashed ? '6 4' : undefined}
              dot={false}
              connectNulls
              isAnimationActive={false}
              type="linear"
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}

type TrendLine = { key: keyof TrendRow & string; label: string; color: string };

/** One figure per run across a scenario's runs (categorical x axis: the runs in order). */
function TrendChart(props: {
  rows: TrendRow[];
  title: string;
  testId: string;
  lines: TrendLine[];
  format: (v: number) => string;
  legend?: boolean;
}) {
  const { rows, format } = props;
  return (
    <figure className="chart" data-testid={props.testId} data-points={rows.length}>
      <figcaption>{props.title}</figcaption>
      <div className="chart-body" style={{ height: 220 }}>
        {rows.length === 0 ? <div className="chart-empty">no ended runs of this scenario yet</div> : null}
        <LineChart
          responsive
          style={{ width: '100%', height: 220 }}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis tickFormatter={(v: number) => format(v)} tick={{ fontSize: 12 }} width={80} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
          {props.legend ? <Legend wrapperStyle={{ fontSize: 13 }} /> : null}
          {props.lines.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.label}
              stroke={line.color}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}

const trendLatency: TrendLine[] = [
  { key: 'p50Ms', label: 'p50', color: COLORS.p50 },
  { key: 'p95Ms', label: 'p95', color: COLORS.p95 },
  { key: 'p99Ms', label: 'p99', color: COLORS.p99 },
];

export function ScenarioTrend({ rows }: { rows: readonly TrendRow[] }) {
  const data = [...rows];
  return (
    <div className="chart-pair">
      <TrendChart
        rows={data}
        title="Latency per run (k6 summary, ms)"
        testId="trend-latency"
        lines={trendLatency}
        format={(v) => formatMs(v)}
        legend
      />
      <TrendChart
        rows={data}
        title="Request rate per run"
        testId="trend-rate"
        lines={[{ key: 'reqRate', label: 'req/s', color: '#2563eb' }]}
        format={(v) => formatRate(v)}
      />
    </div>
  );
}
