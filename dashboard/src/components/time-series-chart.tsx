'use client';
// A time-series line chart over a fixed window. Missing steps stay gaps (never drawn as 0);
// `data-points` on the figure tells how many steps have a value (used by the e2e tests).
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { countDefined, hasIsolatedPoints, maxOf, niceScale } from '../lib/chart-data.ts';
import { formatClock } from '../lib/format.ts';
import { formatTick, timeTicks } from '../lib/time-ticks.ts';

export interface ChartSeries<T> {
  key: keyof T & string;
  label: string;
  color: string;
}

interface Props<T extends { t: number }> {
  title: string;
  data: readonly T[];
  series: readonly ChartSeries<T>[];
  domain: readonly [number, number];
  formatY: (value: number) => string;
  testId: string;
  height?: number;
  /** The y axis reaches at least this high, so a flat line at 0 does not get a silly scale. */
  yMinTop?: number;
  /** Horizontal guide lines, e.g. a KPI's control points. */
  references?: readonly { y: number; label: string; color: string }[];
}

export function TimeSeriesChart<T extends { t: number }>({
  title,
  data,
  series,
  domain,
  formatY,
  testId,
  height = 220,
  yMinTop = 0,
  references = [],
}: Props<T>) {
  const points = Math.max(0, ...series.map((s) => countDefined(data, s.key)));
  const { ticks, stepMs } = timeTicks(domain[0], domain[1]);
  const y = niceScale(
    maxOf(
      data,
      series.map((s) => s.key),
    ),
    Math.max(yMinTop, ...references.map((r) => r.y)),
  );
  return (
    <figure className="chart" data-testid={testId} data-points={points}>
      <figcaption>{title}</figcaption>
      <div className="chart-body" style={{ height }}>
        {points === 0 ? <div className="chart-empty">no data in this range</div> : null}
        <LineChart
          responsive
          style={{ width: '100%', height }}
          data={[...data]}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[domain[0], domain[1]]}
            ticks={ticks}
            tickFormatter={(t: number) => formatTick(t, stepMs)}
            tick={{ fontSize: 12 }}
          />
          <YAxis
            tickFormatter={formatY}
            tick={{ fontSize: 12 }}
            width={76}
            domain={[0, y.top]}
            ticks={y.ticks}
            allowDecimals
          />
          <Tooltip
            labelFormatter={(t) => formatClock(Number(t))}
            formatter={(v) => (typeof v === 'number' ? formatY(v) : String(v))}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {references.map((r) => (
            <ReferenceLine
              key={r.label}
              y={r.y}
              stroke={r.color}
              strokeDasharray="4 4"
              label={{ value: r.label, position: 'insideTopRight', fontSize: 11, fill: r.color }}
            />
          ))}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              strokeWidth={2}
              dot={hasIsolatedPoints(data, s.key) ? { r: 2.5 } : false}
              connectNulls={false}
              isAnimationActive={false}
              type="linear"
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}
