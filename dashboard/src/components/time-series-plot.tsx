'use client';
// The drawing half of TimeSeriesChart (recharts): loaded on its own, after the page, so a page's
// first load carries no charting library. Missing steps stay gaps, never drawn as 0.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { type ChangeMarker, labelsLeft, MARKER_COLORS, shortLabel } from '../lib/change-markers.ts';
import { formatClock } from '../lib/format.ts';
import { rangeIn, withBound } from '../lib/histogram-estimate.ts';
import { formatTick, timeTicks } from '../lib/time-ticks.ts';

export interface PlotSeries {
  key: string;
  label: string;
  color: string;
  /** Draw a dot at each point: a step with no neighbours is otherwise invisible. */
  dots: boolean;
  /** The row's field holding the value's error bound (an estimate's), stated in the tooltip. */
  range?: string | undefined;
}

export interface TimeSeriesPlotProps {
  data: readonly { t: number }[];
  series: readonly PlotSeries[];
  domain: readonly [number, number];
  formatY: (value: number) => string;
  height: number;
  y: { top: number; ticks: number[] };
  references: readonly { y: number; label: string; color: string }[];
  /** Setting changes: a dashed vertical line each, a short label, the full one on hover. */
  markers?: readonly ChangeMarker[];
}

/** A marker's label; recharts passes the line's box as `viewBox`. Staggered so neighbours do not overlap. */
function MarkerLabel({
  marker,
  row,
  left,
  viewBox,
}: {
  marker: ChangeMarker;
  row: number;
  left: boolean;
  viewBox?: unknown;
}) {
  const box = (viewBox ?? {}) as { x?: number; y?: number };
  const color = MARKER_COLORS[marker.kind];
  return (
    <g data-testid="change-marker" data-kind={marker.kind}>
      <title>{`${formatClock(marker.at)} · ${marker.label}`}</title>
      <text
        x={(box.x ?? 0) + (left ? -3 : 3)}
        y={(box.y ?? 0) + 11 + row * 12}
        textAnchor={left ? 'end' : 'start'}
        fontSize={11}
        fill={color}
      >
        {shortLabel(marker.label)}
      </text>
    </g>
  );
}

export function TimeSeriesPlot({
  data,
  series,
  domain,
  formatY,
  height,
  y,
  references,
  markers = [],
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
        formatter={(v, _name, item) => {
          if (typeof v !== 'number') return String(v);
          const range = series.find((s) => s.key === item.dataKey)?.range;
          return withBound(v, rangeIn(item.payload, range), formatY);
        }}
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
      {markers.map((m, i) => (
        <ReferenceLine
          key={`${m.at}-${m.kind}-${m.label}`}
          x={m.at}
          stroke={MARKER_COLORS[m.kind]}
          strokeDasharray="3 3"
          label={<MarkerLabel marker={m} row={i % 3} left={labelsLeft(m.at, domain)} />}
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
