// Reads the end-of-test summary the scenarios write through handleSummary (k6's summary data as JSON)
// and turns it, with the exit code, into a run's result.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { exitCodeMeaning } from './exit-codes.ts';
import type { CheckResult, EndpointStats, RunResult, RunStats, ThresholdResult } from './run-state.ts';

/** Same as BREAKDOWN_EXPR in k6/lib/thresholds.js: a threshold that only exposes a route's sub-metric. */
export const BREAKDOWN_EXPR = 'max>=0';
const ROUTE_SUBMETRIC = /^http_req_duration\{name:(.+)\}$/;

const metricSchema = z.object({
  type: z.string(),
  contains: z.string().optional(),
  // JSON.stringify turns NaN (e.g. a rate with no samples) into null.
  values: z.record(z.string(), z.number().nullable()),
  thresholds: z.record(z.string(), z.object({ ok: z.boolean() })).optional(),
});

type Group = { checks?: CheckResult[]; groups?: Group[] };
const groupSchema: z.ZodType<Group> = z.lazy(() =>
  z.object({
    checks: z.array(z.object({ name: z.string(), passes: z.number(), fails: z.number() })).optional(),
    groups: z.array(groupSchema).optional(),
  }),
);

export const k6SummarySchema = z.object({
  state: z.object({ testRunDurationMs: z.number().optional() }).optional(),
  metrics: z.record(z.string(), metricSchema),
  root_group: groupSchema.optional(),
});

export type K6Summary = z.infer<typeof k6SummarySchema>;

export class SummaryParseError extends Error {
  constructor(path: string, cause: unknown) {
    super(`${path} is not a k6 summary: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'SummaryParseError';
  }
}

export function parseSummary(json: unknown): K6Summary {
  return k6SummarySchema.parse(json);
}

/** The summary at `path`, or undefined when k6 never wrote one. Throws SummaryParseError on bad content. */
export async function readSummaryFile(path: string): Promise<K6Summary | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return parseSummary(JSON.parse(text));
  } catch (err) {
    throw new SummaryParseError(path, err);
  }
}

function value(summary: K6Summary, metric: string, key: string): number | null {
  return summary.metrics[metric]?.values[key] ?? null;
}

export function statsFromSummary(summary: K6Summary): RunStats {
  const count = (metric: string): number => value(summary, metric, 'count') ?? 0;
  // A trend without samples reports zeros; "no data" must not read as 0 ms.
  const hasLatency = (value(summary, 'http_req_duration', 'count') ?? 1) > 0;
  const dur = (key: string): number | null => (hasLatency ? value(summary, 'http_req_duration', key) : null);
  return {
    httpReqs: count('http_reqs'),
    reqRate: value(summary, 'http_reqs', 'rate') ?? 0,
    errorRate: value(summary, 'http_req_failed', 'rate') ?? 0,
    checksRate: value(summary, 'checks', 'rate'),
    p50Ms: dur('med'),
    p90Ms: dur('p(90)'),
    p95Ms: dur('p(95)'),
    p99Ms: dur('p(99)'),
    maxMs: dur('max'),
    iterations: count('iterations'),
    durationMs: summary.state?.testRunDurationMs ?? 0,
    dataReceived: count('data_received'),
    dataSent: count('data_sent'),
  };
}

/** Pass/fail thresholds, without the always-true ones that only expose per-route sub-metrics. */
export function thresholdsFromSummary(summary: K6Summary): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, def] of Object.entries(summary.metrics)) {
    for (const [expr, { ok }] of Object.entries(def.thresholds ?? {})) {
      if (expr === BREAKDOWN_EXPR && ROUTE_SUBMETRIC.test(metric)) continue;
      out.push({ metric, expr, ok });
    }
  }
  return out.sort((a, b) => a.metric.localeCompare(b.metric) || a.expr.localeCompare(b.expr));
}

export function perEndpointFromSummary(summary: K6Summary): EndpointStats[] {
  const out: EndpointStats[] = [];
  for (const [metric, def] of Object.entries(summary.metrics)) {
    const name = ROUTE_SUBMETRIC.exec(metric)?.[1];
    if (name === undefined) continue;
    const count = def.values.count ?? 0;
    out.push({ name, count, p95Ms: count > 0 ? (def.values['p(95)'] ?? null) : null });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function checksFromSummary(summary: K6Summary): CheckResult[] {
  const out: CheckResult[] = [];
  const walk = (g: Group | undefined): void => {
    for (const c of g?.checks ?? []) out.push({ name: c.name, passes: c.passes, fails: c.fails });
    for (const child of g?.groups ?? []) walk(child);
  };
  walk(summary.root_group);
  return out;
}

export function resultFromSummary(
  summary: K6Summary | undefined,
  exit: { code: number | null; signal?: string | null },
): RunResult {
  const base = {
    exitCode: exit.code,
    ...(exit.signal ? { signal: exit.signal } : {}),
    exitMeaning: exitCodeMeaning(exit.code, exit.signal),
  };
  if (!summary) return { ...base, thresholdsPassed: false, thresholds: [], stats: null };
  const thresholds = thresholdsFromSummary(summary);
  const perEndpoint = perEndpointFromSummary(summary);
  return {
    ...base,
    thresholdsPassed: exit.code !== 99 && thresholds.every((t) => t.ok),
    thresholds,
    stats: statsFromSummary(summary),
    ...(perEndpoint.length > 0 ? { perEndpoint } : {}),
    checks: checksFromSummary(summary),
  };
}
