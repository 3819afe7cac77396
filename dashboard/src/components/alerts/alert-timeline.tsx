'use client';
// The last hour of alert transitions as a chart: how many alert instances were firing and pending
// at each moment (steps at each transition).
import type { TimelinePoint } from '../../lib/alert-view.ts';
import { TimeSeriesChart } from '../time-series-chart.tsx';

const SERIES = [
  { key: 'firing', label: 'firing', color: '#d64545' },
  { key: 'pending', label: 'pending', color: '#e8a33d' },
] as const;

export function AlertTimeline({ points }: { points: readonly TimelinePoint[] }) {
  const first = points[0]?.t ?? 0;
  const last = points.at(-1)?.t ?? 0;
  return (
    <TimeSeriesChart
      title="Firing and pending alerts, last hour"
      data={points}
      series={SERIES}
      domain={[first, last]}
      formatY={(v) => (Number.isInteger(v) ? String(v) : '')}
      testId="alert-timeline"
      height={180}
      yMinTop={2}
    />
  );
}
