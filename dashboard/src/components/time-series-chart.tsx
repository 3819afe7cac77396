'use client';
// A time-series line chart over a fixed window. It first draws itself as plain SVG (also on the
// server: no charting library in the page's first load, nothing to measure), then swaps in the
// interactive recharts plot (tooltip) in the same box once the page has settled, or at once when
// the pointer reaches it. Missing steps stay gaps, never drawn as 0.
// `data-points` on the figure tells how many steps have a value (used by the e2e tests), and
// `data-markers` how many change markers (chaos, optimisation switches) it draws.
import { type ComponentType, useEffect, useRef, useState } from 'react';
import type { ChangeMarker } from '../lib/change-markers.ts';
import { countDefined, hasIsolatedPoints, maxOf, niceScale } from '../lib/chart-data.ts';
import { useChangeMarkers } from './change-markers.tsx';
import { StaticLinePlot } from './static-line-plot.tsx';
import type { TimeSeriesPlotProps } from './time-series-plot.tsx';
import { usePageSettled } from './use-page-settled.ts';

export interface ChartSeries<T> {
  key: keyof T & string;
  label: string;
  color: string;
  /** The row's field holding this value's error bound (a ValueRange), stated in the tooltip. */
  range?: keyof T & string;
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
  /** Vertical lines at setting changes; by default those of the page's ChangeMarkersProvider. */
  markers?: readonly ChangeMarker[];
}

let plotModule: Promise<ComponentType<TimeSeriesPlotProps>> | undefined;
/** The recharts plot, fetched once per page (its own chunk). */
function loadPlot(): Promise<ComponentType<TimeSeriesPlotProps>> {
  plotModule ??= import('./time-series-plot.tsx').then((m) => m.TimeSeriesPlot);
  return plotModule;
}

function useInteractivePlot(wanted: boolean): ComponentType<TimeSeriesPlotProps> | null {
  const [Plot, setPlot] = useState<ComponentType<TimeSeriesPlotProps> | null>(null);
  useEffect(() => {
    if (!wanted || Plot) return;
    let cancelled = false;
    loadPlot().then(
      (component) => {
        if (!cancelled) setPlot(() => component);
      },
      () => {}, // the static drawing stays: still a chart, without the tooltip
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, Plot]);
  return Plot;
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
  markers,
}: Props<T>) {
  const pageMarkers = useChangeMarkers();
  const shown = (markers ?? pageMarkers).filter((m) => m.at >= domain[0] && m.at <= domain[1]);
  const settled = usePageSettled();
  const [urgent, setUrgent] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A pointer on the chart wants the tooltip now, whether or not the page has settled.
    const element = body.current;
    const wake = () => setUrgent(true);
    element?.addEventListener('pointerenter', wake, { once: true });
    return () => element?.removeEventListener('pointerenter', wake);
  }, []);
  const Plot = useInteractivePlot(settled || urgent);
  const points = Math.max(0, ...series.map((s) => countDefined(data, s.key)));
  const y = niceScale(
    maxOf(
      data,
      series.map((s) => s.key),
    ),
    Math.max(yMinTop, ...references.map((r) => r.y)),
  );
  const plot: TimeSeriesPlotProps = {
    data,
    series: series.map((s) => ({ ...s, dots: hasIsolatedPoints(data, s.key) })),
    domain,
    formatY,
    height,
    y,
    references,
    markers: shown,
  };
  return (
    <figure className="chart" data-testid={testId} data-points={points} data-markers={shown.length}>
      <figcaption>{title}</figcaption>
      <div className="chart-body" style={{ height }} ref={body}>
        {points === 0 ? <div className="chart-empty">no data in this range</div> : null}
        {Plot ? <Plot {...plot} /> : <StaticLinePlot {...plot} />}
      </div>
    </figure>
  );
}
