'use client';
// The latency distribution: how many requests fell in each histogram bucket, as bars.
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../../lib/format.ts';
import type { DistributionBar } from '../../server/routers/service.ts';

export function LatencyHistogram({ bars }: { bars: readonly DistributionBar[] }) {
  const total = bars.reduce((n, b) => n + b.count, 0);
  return (
    <figure className="chart" data-testid="latency-distribution" data-bars={bars.length}>
      <figcaption>Latency distribution: requests per bucket (upper bound, ms)</figcaption>
      <div className="chart-body" style={{ height: 220 }}>
        {total === 0 ? <div className="chart-empty">no requests in this range</div> : null}
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
