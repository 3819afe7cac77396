'use client';
// The first drawing of a time series: plain SVG and HTML, rendered on the server too, cheap to
// hydrate and with no charting library. TimeSeriesChart swaps in the interactive recharts plot
// (tooltip) once the page has settled; this one keeps the same box, axes, grid and legend.
import { useEffect, useState } from 'react';
import { labelsLeft, MARKER_COLORS, shortLabel } from '../lib/change-markers.ts';
import { formatTick, timeTicks } from '../lib/time-ticks.ts';
import { linePaths } from './line-path.ts';
import type { TimeSeriesPlotProps } from './time-series-plot.tsx';

/** The plot's box inside the chart, as recharts lays it out (y axis 76 px, x axis, legend). */
const INSET = { left: 76, right: 16, top: 8, bottom: 54 };
type Rows = Parameters<typeof linePaths>[0];

/** Drawing units: the SVG stretches to its box, so only ratios matter. */
const W = 1000;
const H = 100;

export function StaticLinePlot({
  data,
  series,
  domain,
  formatY,
  y,
  references,
  markers = [],
}: Omit<TimeSeriesPlotProps, 'height'>) {
  // The time axis follows the viewer's clock, which the server does not know: labelled once mounted.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const span = Math.max(1, domain[1] - domain[0]);
  const toX = (t: number) => ((t - domain[0]) / span) * W;
  const toY = (v: number) => H - (Math.min(v, y.top) / y.top) * H;
  const xTicks = mounted ? timeTicks(domain[0], domain[1]) : { ticks: [], stepMs: 0 };
  return (
    <div className="static-plot">
      <div
        className="static-plot-area"
        style={{ left: INSET.left, right: INSET.right, top: INSET.top, bottom: INSET.bottom }}
      >
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
          {y.ticks.map((v) => (
            <line key={v} x1={0} x2={W} y1={toY(v)} y2={toY(v)} className="static-plot-grid" />
          ))}
          {xTicks.ticks.map((t) => (
            <line key={t} x1={toX(t)} x2={toX(t)} y1={0} y2={H} className="static-plot-grid" />
          ))}
          {references.map((r) => (
            <line
              key={r.label}
              x1={0}
              x2={W}
              y1={toY(r.y)}
              y2={toY(r.y)}
              stroke={r.color}
              strokeDasharray="4 4"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {markers.map((m) => (
            <line
              key={`${m.at}-${m.kind}-${m.label}`}
              x1={toX(m.at)}
              x2={toX(m.at)}
              y1={0}
              y2={H}
              stroke={MARKER_COLORS[m.kind]}
              strokeDasharray="3 3"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {series.map((s) => {
            const { line, dots } = linePaths(data as Rows, s.key, toX, toY);
            return (
              <g key={s.key} stroke={s.color} fill="none" strokeLinecap="round">
                <path d={line} strokeWidth={2} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
                {dots ? <path d={dots} strokeWidth={5} vectorEffect="non-scaling-stroke" /> : null}
              </g>
            );
          })}
        </svg>
        {y.ticks.map((v) => (
          <span key={v} className="static-plot-y" style={{ top: `${(toY(v) / H) * 100}%` }}>
            {formatY(v)}
          </span>
        ))}
        {markers.map((m, i) => (
          <span
            key={`${m.at}-${m.kind}-${m.label}`}
            className="static-plot-marker"
            data-testid="change-marker"
            data-kind={m.kind}
            title={m.label}
            style={{
              left: `${(toX(m.at) / W) * 100}%`,
              top: 2 + (i % 3) * 12,
              color: MARKER_COLORS[m.kind],
              ...(labelsLeft(m.at, domain) ? { transform: 'translateX(calc(-100% - 6px))' } : {}),
            }}
          >
            {shortLabel(m.label)}
          </span>
        ))}
        {xTicks.ticks.map((t) => (
          <span key={t} className="static-plot-x" style={{ left: `${(toX(t) / W) * 100}%` }}>
            {formatTick(t, xTicks.stepMs)}
          </span>
        ))}
      </div>
      <ul className="static-plot-legend">
        {series.map((s) => (
          <li key={s.key}>
            <span className="static-plot-swatch" style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
