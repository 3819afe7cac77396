// What the CLI expects of the server's answers, checked with zod before anything is printed: the
// fields it reads, with their types (the rest passes through). The types are this package's own —
// the server sends load-tests' run, result, comparison and trend shapes.
import { z } from 'zod';
import type { RunComparison } from './results/compare.ts';
import type { RunResults } from './results/run-results.ts';
import type { TrendPoint } from './results/trend.ts';
import { type LiveStatus, RUN_STATES, type RunResult, type RunState } from './run-state.ts';
import { type Answer, answer } from './server-client.ts';

const count = z.number();
const maybe = z.number().nullable();
const threshold = z.looseObject({ metric: z.string(), expr: z.string(), ok: z.boolean() });
const latency = z.looseObject({ p50Ms: maybe, p90Ms: maybe, p95Ms: maybe, p99Ms: maybe, maxMs: maybe });

const live = z.looseObject({
  at: count,
  vus: count,
  httpReqs: count,
  reqRate: count,
  p95Ms: maybe,
  errorRate: count,
  thresholds: z.array(z.looseObject({ metric: z.string(), ok: z.boolean() })),
});

const result = z.looseObject({
  exitCode: maybe,
  exitMeaning: z.string(),
  thresholdsPassed: z.boolean(),
  thresholds: z.array(threshold),
  stats: z
    .looseObject({
      httpReqs: count,
      reqRate: count,
      iterations: count,
      durationMs: count,
      errorRate: count,
      checksRate: maybe,
      ...latency.shape,
    })
    .nullable(),
  perEndpoint: z.array(z.looseObject({ name: z.string(), count, p95Ms: maybe })).optional(),
});

const run = z.looseObject({
  id: z.string(),
  scenario: z.string(),
  state: z.enum(RUN_STATES),
  target: z.string(),
  launchedBy: z.string(),
  createdAt: count,
  live: live.nullable(),
  result: result.nullable(),
  reason: z.string().nullable(),
});

/** A run as the server's API shows it (the dashboard's RunView: the fields the CLI reads). */
export interface ServerRun {
  id: string;
  scenario: string;
  state: RunState;
  target: string;
  launchedBy: string;
  createdAt: number;
  live: LiveStatus | null;
  result: RunResult | null;
  reason: string | null;
}

const runResults = z.looseObject({
  runId: z.string(),
  scenario: z.string(),
  state: z.string(),
  durationSec: count,
  percentiles: z.looseObject({ description: z.string() }),
  totals: z.looseObject({ requests: count, ratePerSec: count, iterations: count, latency }),
  endpoints: z.array(z.looseObject({ name: z.string(), requests: count, latency })),
  errorsByStatus: z.array(z.looseObject({ status: z.unknown(), name: z.string(), count })),
  checks: z.array(z.looseObject({ name: z.string(), fails: count })),
  thresholds: z.array(threshold),
});

const delta = z.looseObject({
  base: maybe,
  candidate: maybe,
  deltaPct: maybe,
  significant: z.boolean(),
  regression: z.boolean(),
});
const endpointDelta = z.looseObject({
  name: z.string(),
  requests: z.looseObject({ base: maybe, candidate: maybe }),
  judged: z.boolean(),
  p50Ms: delta,
  p95Ms: delta,
  p99Ms: delta,
  ratePerSec: delta,
  errorRate: delta,
});

const comparison = z.looseObject({
  base: z.looseObject({ runId: z.string() }),
  candidate: z.looseObject({ runId: z.string() }),
  noise: z.looseObject({ latencyPct: count, ratePct: count, errorRateAbs: count, source: z.string() }),
  changes: z.array(z.looseObject({ worse: z.boolean() })),
  biggestChanges: z.array(z.looseObject({ endpoint: z.string(), metric: z.string(), delta })),
  totals: endpointDelta,
  endpoints: z.array(endpointDelta),
  thresholds: z.array(z.looseObject({ metric: z.string(), expr: z.string() })),
});

const trendPoint = z.looseObject({ runId: z.string(), createdAt: count, state: z.string() });

export const ANSWERS = {
  run: answer<ServerRun>(run),
  runList: answer<{ runs: ServerRun[]; storeError: string | null }>(
    z.looseObject({ runs: z.array(run), storeError: z.string().nullable() }),
  ),
  catalogue: answer<{ targets: string[] }>(z.looseObject({ targets: z.array(z.string()) })),
  report: answer<{ report: { results: RunResults } }>(
    z.looseObject({ report: z.looseObject({ results: runResults }) }),
  ),
  comparison: answer<{ comparison: RunComparison }>(z.looseObject({ comparison })),
  trend: answer<TrendPoint[]>(z.array(trendPoint)),
  baseline: answer<{ runId: string; scenario: string }>(
    z.looseObject({ runId: z.string(), scenario: z.string() }),
  ),
  any: answer<unknown>(z.unknown()),
} as const satisfies Record<string, Answer<unknown>>;
