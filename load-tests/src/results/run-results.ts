// A run's results computed from the store by run id — every k6 process of a distributed run tags
// its points and samples with the same run_id, so counts add up and percentiles come from all of
// them (run-percentiles.ts) — plus the target's own server-side view of the same window.
import { queryStat } from 'collector/query';
import type { CheckResult, PercentileOrigin, RunState, ThresholdResult } from '../run-state.ts';
import { readRun, type StoreClient, type StoredRun } from '../run-store.ts';
import { type LatencyStats, latencyStats } from './latency.ts';
import { queryRunPercentiles } from './run-percentiles.ts';
import { sumByGroup } from './store-queries.ts';
import { judgeThresholds, type StoreThreshold } from './store-thresholds.ts';

export type EndpointResult = {
  /** k6's `name` tag: the route, e.g. "GET /api/cars/:id". */
  name: string;
  requests: number;
  ratePerSec: number;
  /** Requests k6 counted as failed (expected_response=false). */
  failed: number;
  errorRate: number | null;
  latency: LatencyStats;
};

export type StatusErrors = { name: string; status: string; count: number };

export type ServerMetrics = {
  service: string;
  requests: number;
  p95Ms: number | null;
  /** Share of requests answered 5xx. */
  errorRate: number | null;
};

export type RunResults = {
  runId: string;
  scenario: string;
  state: RunState;
  params: Record<string, unknown>;
  target: string;
  startedAt: number | null;
  endedAt: number | null;
  durationSec: number;
  /** Where the percentiles come from (samples: exact) and their error bound. */
  percentiles: PercentileOrigin;
  totals: {
    requests: number;
    ratePerSec: number;
    failed: number;
    errorRate: number | null;
    iterations: number;
    dataSentBytes: number;
    dataReceivedBytes: number;
    latency: LatencyStats;
  };
  endpoints: EndpointResult[];
  errorsByStatus: StatusErrors[];
  checks: CheckResult[];
  /** k6's own verdicts (per process; a distributed run passes only if every segment passed). */
  thresholds: ThresholdResult[];
  /** The same expressions judged on the store-wide figures (all processes merged); see store-thresholds.ts. */
  storeThresholds: StoreThreshold[];
  /** The target's http.server.request.duration over the run's window; null without data. */
  server: ServerMetrics | null;
};

export type RunResultsOptions = {
  /** The target's OTel service.name. Default car-suggester. */
  serverService?: string;
  now?: number;
};

/** Where a run's points can be: its lifetime plus export slack (k6 flushes as it exits). */
export function telemetryWindow(run: StoredRun, now: number): { from: number; to: number } {
  return { from: (run.startedAt ?? run.createdAt) - 60_000, to: (run.endedAt ?? now) + 60_000 };
}

export function runDurationSec(run: StoredRun, now: number): number {
  const fromSummary = run.result?.stats?.durationMs;
  if (fromSummary && fromSummary > 0) return fromSummary / 1000;
  const start = run.startedAt ?? run.createdAt;
  return Math.max(0.001, ((run.endedAt ?? now) - start) / 1000);
}

export async function queryRunResults(
  client: StoreClient,
  runId: string,
  opts: RunResultsOptions = {},
): Promise<RunResults> {
  const now = opts.now ?? Date.now();
  const run = await readRun(client, runId);
  const window = telemetryWindow(run, now);
  const byRun = [{ key: 'run_id', op: '=' as const, value: runId }];
  const k6 = (metric: string) => ({ metric, serviceName: 'k6', where: byRun });
  const seconds = runDurationSec(run, now);

  const [reqs, percentiles, checkSums, sent, received, iterations, server] = await Promise.all([
    sumByGroup(client, k6('http_reqs'), window, ['name', 'status', 'expected_response']),
    queryRunPercentiles(client, runId, { window, expectedRequests: run.result?.stats?.httpReqs ?? null }),
    sumByGroup(client, k6('checks.total'), window, ['check', 'condition']),
    sumByGroup(client, k6('data_sent'), window, []),
    sumByGroup(client, k6('data_received'), window, []),
    sumByGroup(client, k6('iterations'), window, []),
    serverMetrics(client, run, opts.serverService ?? 'car-suggester', now),
  ]);

  const endpoints = new Map<string, { requests: number; failed: number }>();
  const errors: StatusErrors[] = [];
  for (const { group, total } of reqs) {
    const [name = '', status = '', expected = ''] = group;
    const e = endpoints.get(name) ?? { requests: 0, failed: 0 };
    e.requests += total;
    if (expected === 'false') {
      e.failed += total;
      errors.push({ name, status, count: total });
    }
    endpoints.set(name, e);
  }
  const checks = new Map<string, CheckResult>();
  for (const { group, total } of checkSums) {
    const [name = '', condition = ''] = group;
    const c = checks.get(name) ?? { name, passes: 0, fails: 0 };
    if (condition === 'nonzero') c.passes += total;
    else c.fails += total;
    checks.set(name, c);
  }
  const total = (rows: { total: number }[]) => rows.reduce((a, r) => a + r.total, 0);
  const requests = total(reqs);
  const failed = [...endpoints.values()].reduce((a, e) => a + e.failed, 0);
  const latency = percentiles.overall;
  const endpointResults = [...endpoints]
    .map(([name, e]) => ({
      name,
      requests: e.requests,
      ratePerSec: e.requests / seconds,
      failed: e.failed,
      errorRate: e.requests > 0 ? e.failed / e.requests : null,
      latency: percentiles.byName.get(name) ?? latencyStats(undefined),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const checkResults = [...checks.values()].sort((a, b) => a.name.localeCompare(b.name));
  const errorRate = requests > 0 ? failed / requests : null;
  const thresholds = run.result?.thresholds ?? [];
  return {
    runId,
    scenario: run.scenario,
    state: run.state,
    params: run.params,
    target: run.target,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationSec: seconds,
    percentiles: {
      source: percentiles.source,
      errorBound: percentiles.errorBound,
      description: percentiles.description,
    },
    totals: {
      requests,
      ratePerSec: requests / seconds,
      failed,
      errorRate,
      iterations: total(iterations),
      dataSentBytes: total(sent),
      dataReceivedBytes: total(received),
      latency,
    },
    endpoints: endpointResults,
    errorsByStatus: errors.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    checks: checkResults,
    thresholds,
    storeThresholds: judgeThresholds(thresholds, {
      latency,
      byName: new Map(endpointResults.map((e) => [e.name, e.latency])),
      errorRate,
      checks: checkResults,
    }),
    server,
  };
}

/**
 * How long after a run's end the target's points still count for it: a request answered just before
 * k6 exits is exported with the target's next interval (1 s by default), stamped after the run's end.
 */
export const SERVER_EXPORT_GRACE_MS = 5_000;

/**
 * The target's view: its request histogram over the run's lifetime — the API's traffic from any
 * client, not the product's own requests the target marks `traffic.source = internal` (scrapes,
 * probes, admin controls, the page check), as every API figure of the dashboard counts it.
 */
async function serverMetrics(
  client: StoreClient,
  run: StoredRun,
  service: string,
  now: number,
): Promise<ServerMetrics | null> {
  if (run.startedAt === null) return null;
  const end = run.endedAt === null ? now : Math.min(now, run.endedAt + SERVER_EXPORT_GRACE_MS);
  const window = { from: run.startedAt, to: Math.max(end, run.startedAt) };
  const sel = {
    metric: 'http.server.request.duration',
    serviceName: service,
    window,
    kind: 'histogram' as const,
    where: [
      { key: 'traffic.source', op: '!=' as const, value: 'internal' },
      { key: 'http.route', op: '!=' as const, value: '/health' },
    ],
  };
  const [count, p95, errorRate] = await Promise.all([
    queryStat(client, { ...sel, stat: 'count' }),
    queryStat(client, { ...sel, stat: 'p95' }),
    queryStat(client, {
      ...sel,
      stat: 'ratio',
      numerator: [{ key: 'http.response.status_code', op: '>=', value: 500 }],
    }),
  ]);
  if (!count) return null;
  // The stable HTTP semconv records seconds.
  return { service, requests: count, p95Ms: p95 === null ? null : p95 * 1000, errorRate };
}
