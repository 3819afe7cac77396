'use client';
// The drawing half of TimeSeriesChart (recharts): loaded on its own, after the page, so a page's
// first load carries no charting library. Missing steps stay gaps, never drawn as 0.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../lib/format.ts';
import { formatTick, timeTicks } from '../lib/time-ticks.ts';

export interface PlotSeries {
  key: string;
  label: string;
  color: string;
  /** Draw a dot at each point: a step with no neighbours is otherwise invisible. */
  dots: boolean;
}

export interface TimeSeriesPlotProps {
  data: readonly { t: number }[];
  series: readonly PlotSeries[];
  domain: readonly [number, number];
  formatY: (value: number) => string;
  height: number;
  y: { top: number; ticks: number[] };
  references: readonly { y: number; label: string; color: string }[];
}

export function TimeSeriesPlot({
  data,
  series,
  domain,
  formatY,
  height,
  y,
  references,
}: TimeSeriesPlotProps) {
  const { ticks, stepMs } = timeTicks(domain[0], domain[1]);
  return (
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
          dot={s.dots ? { r: 2.5 } : false}
          connectNulls={false}
          isAnimationActive={false}
          type="linear"
        />
      ))}
    </LineChart>
  );
}
