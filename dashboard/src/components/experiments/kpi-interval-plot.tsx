'use client';
// Each variant's mean of one KPI with its 95 % interval across the repeats (recharts: bars with
// error bars). Loaded on its own chunk by the results view.
import { Bar, BarChart, CartesianGrid, ErrorBar, Tooltip, XAxis, YAxis } from 'recharts';

export type IntervalPoint = { variant: string; mean: number; error: [number, number] };

export function KpiIntervalPlot({ data, unit }: { data: IntervalPoint[]; unit: string }) {
  return (
    <BarChart
      width={Math.max(360, data.length * 90)}
      height={260}
      data={data}
      margin={{ top: 10, right: 10, bottom: 40, left: 10 }}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="variant" interval={0} angle={-20} textAnchor="end" tick={{ fontSize: 11 }} />
      <YAxis tick={{ fontSize: 11 }} unit={unit === 'ms' ? ' ms' : ''} />
      <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(1) : String(v))} />
      <Bar dataKey="mean" fill="#3b6fd8" isAnimationActive={false}>
        <ErrorBar dataKey="error" width={6} stroke="#1f2937" />
      </Bar>
    </BarChart>
  );
}
