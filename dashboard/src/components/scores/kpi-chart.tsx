'use client';
// The chart behind a KPI's score: its value over the same window, with its two control points.
import { useQuery } from '@tanstack/react-query';
import { formatKpiValue, formatTarget } from '../../lib/score-view.ts';
import type { KpiUnit } from '../../scores/model.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { TimeSeriesChart } from '../time-series-chart.tsx';

interface Kpi {
  id: string;
  name: string;
  unit: KpiUnit;
  good: number;
  poor: number;
  direction: 'lower-is-better' | 'higher-is-better';
}

export function KpiChart({ kpi, window }: { kpi: Kpi; window: { from: number; to: number } }) {
  const trpc = useTRPC();
  const series = useQuery({
    ...trpc.scores.kpiSeries.queryOptions({ id: kpi.id, window }),
    placeholderData: (previous) => previous,
  });
  const points = series.data?.points ?? [];
  return (
    <section className="panel" id="kpi-chart" data-testid="kpi-chart">
      <h2>
        {kpi.name}{' '}
        <span className="muted small">
          · scores 90 at {formatTarget(kpi)}, 50 at {formatTarget(kpi, 'poor', kpi.poor)}
        </span>
      </h2>
      {series.error ? <p className="error-box">Could not load the series: {series.error.message}</p> : null}
      <TimeSeriesChart
        title={`${series.data?.category ?? ''} · ${kpi.name}`}
        data={points}
        series={[{ key: 'value', range: 'range', label: kpi.name, color: '#2563eb' }]}
        domain={[window.from, window.to]}
        formatY={(v) => formatKpiValue(v, kpi.unit)}
        testId="kpi-series"
        yMinTop={0}
        references={[
          { y: kpi.good, label: `90 points: ${formatKpiValue(kpi.good, kpi.unit)}`, color: '#0b6b36' },
          { y: kpi.poor, label: `50 points: ${formatKpiValue(kpi.poor, kpi.unit)}`, color: '#a04100' },
        ]}
      />
      {points.some((p) => p.range !== null) ? (
        <p className="muted small" data-testid="kpi-estimate-note">
          Each slice&apos;s value is estimated from histogram buckets; hover a point for the range it lies in.
        </p>
      ) : null}
    </section>
  );
}
