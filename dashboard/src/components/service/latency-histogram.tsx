'use client';
// The latency distribution: how many requests fell in each latency range, as bars (the Service
// page's window and a run report both draw it).
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../../lib/format.ts';

export function LatencyHistogram({
  bars,
  title = 'Latency distribution: requests per bucket (upper bound, ms)',
  testId = 'latency-distribution',
  empty = 'no requests in this range',
}: {
  bars: readonly { label: string; count: number }[];
  title?: string;
  testId?: string;
  empty?: string;
}) {
  const total = bars.reduce((n, b) => n + b.count, 0);
  return (
    <figure className="chart" data-testid={testId} data-bars={bars.length}>
      <figcaption>{title}</figcaption>
      <div className="chart-body" style={{ height: 220 }}>
        {total === 0 ? <div className="chart-empty">{empty}</div> : null}
        <BarChart
          responsive
          style={{ width: '100%', height: 220 }}
          data={[...bars]}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis
            tickFormatter={(v: number) => formatCount(v)}
            tick={{ fontSize: 12 }}
            width={60}
            allowDecimals={false}
          />
          <Tooltip
            formatter={(v) => [
              `${formatCount(Number(v))} (${total ? ((Number(v) / total) * 100).toFixed(1) : 0} %)`,
              'requests',
            ]}
          />
          <Bar dataKey="count" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </div>
    </figure>
  );
}
