'use client';
// The Service page: the target's latency percentiles per route over time, throughput, errors by
// status and route, the latency distribution and the slowest traces with a span waterfall. Range,
// route and chosen trace live in the URL (?range=&route=&trace=); data streams every 5 s.
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { routeRangeKey, type TrafficPoint } from '../../lib/chart-data.ts';
import { formatClock, formatCount, formatMs, formatPercent, formatRate } from '../../lib/format.ts';
import { estimateTitle } from '../../lib/histogram-estimate.ts';
import { parseTimeRange } from '../../lib/time-range.ts';
import type { RouteP95Point } from '../../server/routers/service.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { RangePicker } from '../overview/range-picker.tsx';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';
import { LatencyHistogram } from './latency-histogram.tsx';
import { TraceWaterfall } from './trace-waterfall.tsx';

const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f'];
const percentiles: ChartSeries<TrafficPoint>[] = [
  { key: 'p50Ms', range: 'p50RangeMs', label: 'p50', color: '#2563eb' },
  { key: 'p95Ms', range: 'p95RangeMs', label: 'p95', color: '#d97706' },
  { key: 'p99Ms', range: 'p99RangeMs', label: 'p99', color: '#dc2626' },
];

export function ServicePage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const range = parseTimeRange(searchParams.get('range'));
  const route = searchParams.get('route') || null;
  const traceId = searchParams.get('trace');
  const hrefWith = useCallback(
    (changes: Record<string, string | null>) => {
      const params = new URLSearchParams(searchParams.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) params.delete(k);
        else params.set(k, v);
      }
      return `${pathname}?${params.toString()}`;
    },
    [pathname, searchParams],
  );
  const go = (changes: Record<string, string | null>) => router.replace(hrefWith(changes), { scroll: false });

  const sub = useSubscription(trpc.service.live.subscriptionOptions({ range, route }));
  const s = sub.data?.range === range && sub.data.route === route ? sub.data : undefined;
  const domain = s ? ([s.from, s.to] as const) : ([0, 1] as const);
  const routeSeries: ChartSeries<RouteP95Point>[] = (s?.routes ?? [])
    .slice(0, PALETTE.length)
    .map((r, i) => ({
      key: r.route,
      range: routeRangeKey(r.route),
      label: r.route,
      color: PALETTE[i]!,
    }));
  const empty = s && s.routes.length === 0;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Service</h1>
          <p className="muted">
            car-suggester API{route ? ` · ${route}` : ' · all routes'} ·{' '}
            <span data-testid="service-status">
              {s ? `updated ${formatClock(s.at)}` : sub.status === 'error' ? 'disconnected' : 'connecting…'}
            </span>
          </p>
        </div>
        <div className="head-controls">
          <label className="field inline">
            <span className="field-label">Route</span>
            <select
              value={route ?? ''}
              onChange={(e) => go({ route: e.target.value || null, trace: null })}
              data-testid="route-select"
            >
              <option value="">all routes</option>
              {(s?.routes ?? []).map((r) => (
                <option key={r.route} value={r.route}>
                  {r.route}
                </option>
              ))}
              {route && !s?.routes.some((r) => r.route === route) ? (
                <option value={route}>{route}</option>
              ) : null}
            </select>
          </label>
          <RangePicker value={range} onChange={(next) => go({ range: next })} />
        </div>
      </div>

      {s?.error ? <p className="error-box">{s.error}</p> : null}
      {sub.error ? <p className="error-box">Live connection lost: {sub.error.message}</p> : null}
      {empty ? (
        <p className="note" data-testid="service-empty">
          No requests reached the target in this range. Start it (<code>npm start</code>) or{' '}
          <Link href="/load-tests">launch a load test</Link>; routes appear here as soon as it answers.
        </p>
      ) : null}

      <section className="panel" id="routes">
        <h2>Routes</h2>
        <table className="table compact" data-testid="routes-table">
          <thead>
            <tr>
              <th>Route</th>
              <th className="num">Requests</th>
              <th className="num">Rate</th>
              <th className="num">p50</th>
              <th className="num">p95</th>
              <th className="num">p99</th>
              <th className="num">5xx</th>
            </tr>
          </thead>
          <tbody>
            {(s?.routes ?? []).map((r) => (
              <tr
                key={r.route}
                data-testid="route-row"
                className={r.route === route ? 'selected' : undefined}
              >
                <td>
                  <Link href={hrefWith({ route: r.route, trace: null })} className="mono">
                    {r.route}
                  </Link>
                </td>
                <td className="num">{formatCount(r.count)}</td>
                <td className="num">{formatRate(r.rate)}</td>
                <td className="num" title={estimateTitle(r.p50RangeMs)}>
                  {formatMs(r.p50Ms)}
                </td>
                <td className="num" title={estimateTitle(r.p95RangeMs)} data-testid="route-p95">
                  {formatMs(r.p95Ms)}
                </td>
                <td className="num" title={estimateTitle(r.p99RangeMs)}>
                  {formatMs(r.p99Ms)}
                </td>
                <td className={`num${(r.errorRate ?? 0) > 0.001 ? ' bad' : ''}`}>
                  {formatPercent(r.errorRate)}
                </td>
              </tr>
            ))}
            {s && s.routes.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  no requests in this range
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <p className="muted small" data-testid="estimate-note">
          Service percentiles are estimates from the target&apos;s histogram buckets; hover a value or a chart
          point for its bound. A load-test run's figures are exact where its per-request samples are stored;
          its report says when they come from k6&apos;s histograms instead.
        </p>
      </section>

      <section className="charts" id="latency">
        <TimeSeriesChart
          title={`Latency percentiles, ${route ?? 'all routes'} (ms)`}
          data={s?.points ?? []}
          series={percentiles}
          domain={domain}
          formatY={(v) => formatMs(v)}
          testId="service-latency-chart"
          yMinTop={10}
        />
        <TimeSeriesChart
          title="p95 latency by route (ms)"
          data={s?.routeP95 ?? []}
          series={routeSeries}
          domain={domain}
          formatY={(v) => formatMs(v)}
          testId="route-p95-chart"
          yMinTop={10}
        />
        <div className="chart-pair" id="throughput">
          <TimeSeriesChart
            title="Throughput"
            data={s?.points ?? []}
            series={[{ key: 'rate', label: 'requests/s', color: '#059669' }]}
            domain={domain}
            formatY={(v) => formatRate(v)}
            testId="service-rate-chart"
            yMinTop={1}
            height={180}
          />
          <TimeSeriesChart
            title="Error rate (5xx)"
            data={s?.points ?? []}
            series={[{ key: 'errorRate', label: '5xx share', color: '#dc2626' }]}
            domain={domain}
            formatY={(v) => formatPercent(v)}
            testId="service-error-chart"
            yMinTop={0.01}
            height={180}
          />
        </div>
      </section>

      <div className="two-col">
        <section className="panel" id="errors">
          <h2>Errors by status and route</h2>
          {s && s.errors.length === 0 ? (
            <p className="muted" data-testid="no-errors">
              No 4xx or 5xx answers in this range.
            </p>
          ) : (
            <table className="table compact" data-testid="errors-table">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Route</th>
                  <th className="num">Answers</th>
                </tr>
              </thead>
              <tbody>
                {(s?.errors ?? []).map((e) => (
                  <tr key={`${e.status}-${e.route}`}>
                    <td className={e.status >= 500 ? 'bad strong' : 'strong'}>{e.status}</td>
                    <td className="mono">{e.route}</td>
                    <td className="num">{formatCount(e.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <div id="distribution">
          <LatencyHistogram bars={s?.distribution ?? []} />
        </div>
      </div>

      <section className="panel" id="traces">
        <h2>Slowest requests</h2>
        {s && s.slowest.length === 0 ? (
          <p className="muted" data-testid="no-traces">
            No traces in this range: the target exports spans over OTLP while it runs.
          </p>
        ) : (
          <table className="table compact" data-testid="traces-table">
            <thead>
              <tr>
                <th>Request</th>
                <th>Status</th>
                <th>Started</th>
                <th className="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {(s?.slowest ?? []).map((t) => (
                <tr
                  key={t.traceId}
                  data-testid="trace-row"
                  className={t.traceId === traceId ? 'selected' : undefined}
                >
                  <td>
                    <Link
                      href={`${hrefWith({ trace: t.traceId })}#traces`}
                      scroll={false}
                      data-testid="trace-link"
                    >
                      {t.name}
                    </Link>
                  </td>
                  <td className={t.status === 'Error' || Number(t.httpStatus) >= 500 ? 'bad' : undefined}>
                    {t.httpStatus || t.status}
                  </td>
                  <td>{formatClock(t.start)}</td>
                  <td className="num">{formatMs(t.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {traceId ? (
          <TraceWaterfall traceId={traceId} />
        ) : (
          <p className="muted small">Choose a request to see its spans.</p>
        )}
      </section>
    </div>
  );
}
