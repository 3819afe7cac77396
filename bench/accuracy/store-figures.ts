// What the store answers for a run, read the way the product reads it: k6's http_req_duration
// histograms by run id (the report's histogramByGroup), and the target's own
// http.server.request.duration histograms by route next to the exact durations of its server spans.

import type { LatencyStats } from '../../load-tests/src/results/latency.ts';
import {
  histogramPercentiles,
  queryRunPercentiles,
  type RunPercentiles,
} from '../../load-tests/src/results/run-percentiles.ts';
import { histogramByGroup } from '../../load-tests/src/results/store-queries.ts';
import type { StoreClient } from '../../load-tests/src/run-store.ts';
import { exactByGroup, type GroupQuantiles, QUANTILES, qLabel } from './exact.ts';

export const ALL = '(all)';
type Window = { from: number; to: number };

export type StoreQuantiles = { kind: string; groups: Map<string, GroupQuantiles> };

const quantilesOf = (h: { count: number; quantile(q: number): number | null }): GroupQuantiles => ({
  count: h.count,
  values: Object.fromEntries(QUANTILES.map((q) => [qLabel(q), h.quantile(q)])),
});

/** The store's p50/p95/p99 of a run from k6's histograms (per `name` and over all requests). */
export async function storeQuantiles(
  client: StoreClient,
  runId: string,
  window: Window,
): Promise<StoreQuantiles> {
  return asQuantiles(await histogramPercentiles(client, runId, window));
}

const quantilesOfStats = (s: LatencyStats): GroupQuantiles => ({
  count: s.count,
  values: { p50: s.p50Ms, p95: s.p95Ms, p99: s.p99Ms },
});

/** The run's figures as every reader now gets them (run-percentiles.ts: its samples when complete). */
export async function runFigures(
  client: StoreClient,
  runId: string,
  window: Window,
  expectedRequests: number,
): Promise<StoreQuantiles> {
  return asQuantiles(await queryRunPercentiles(client, runId, { window, expectedRequests }));
}

function asQuantiles(p: RunPercentiles): StoreQuantiles {
  const groups = new Map([...p.byName].map(([name, s]) => [name, quantilesOfStats(s)]));
  if (p.overall.count > 0) groups.set(ALL, quantilesOfStats(p.overall));
  return { kind: p.source, groups };
}

export type ServerFigures = { histogram: StoreQuantiles; exact: Map<string, GroupQuantiles> };

/** The target's /api routes in a window: histogram quantiles (ms) and exact span durations (ms). */
export async function serverFigures(
  client: StoreClient,
  service: string,
  window: Window,
): Promise<ServerFigures> {
  const sel = {
    metric: 'http.server.request.duration',
    serviceName: service,
    where: [{ key: 'traffic.source', op: '!=' as const, value: 'internal' }],
  };
  const hist = await histogramByGroup(client, sel, window, ['http.route']);
  const groups = new Map<string, GroupQuantiles>();
  for (const [key, h] of hist.groups) {
    const route = JSON.parse(key)[0] as string;
    if (!route.startsWith('/api')) continue;
    const q = quantilesOf(h);
    // The semantic conventions record seconds.
    const values = Object.fromEntries(
      Object.entries(q.values).map(([k, v]) => [k, v === null ? null : v * 1000]),
    );
    groups.set(route, { count: q.count, values });
  }
  const spans = await client.query({
    query: `SELECT SpanAttributes['http.route'] AS route, Duration / 1e6 AS ms FROM otel_traces
      WHERE ServiceName = {service:String} AND SpanKind = 'Server' AND startsWith(route, '/api')
        AND SpanAttributes['traffic.source'] != 'internal'
        AND Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp < fromUnixTimestamp64Milli({to:Int64})`,
    query_params: { service, from: window.from, to: window.to },
    format: 'JSONEachRow',
  });
  const rows = await spans.json<{ route: string; ms: number }>();
  return {
    histogram: { kind: hist.kind, groups },
    exact: exactByGroup(rows.map((r) => ({ group: r.route, value: Number(r.ms) }))),
  };
}
