// k6 judges thresholds per process, so a distributed run's verdicts are per segment. This re-judges
// the recorded threshold expressions on the run's store-wide figures (all segments merged), for the
// expressions those figures can answer: p(50|90|95|99)/avg/med/max on http_req_duration (overall
// or per `name`), rate on http_req_failed and checks.
import type { CheckResult, ThresholdResult } from '../run-state.ts';
import type { LatencyStats } from './latency.ts';

export type StoreThreshold = {
  metric: string;
  expr: string;
  /** The store-wide value the expression was judged on; null when it cannot be computed. */
  value: number | null;
  ok: boolean | null;
};

type Figures = {
  latency: LatencyStats;
  byName: Map<string, LatencyStats>;
  errorRate: number | null;
  checks: CheckResult[];
};

const EXPR = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|med|max|rate)\s*(<=|>=|<|>|===?|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;
const SUBMETRIC = /^http_req_duration\{name:(.+)\}$/;

function latencyValue(
  stats: LatencyStats | undefined,
  stat: string,
  percentile: string | undefined,
): number | null {
  if (!stats) return null;
  if (stat === 'avg') return stats.avgMs;
  if (stat === 'max') return stats.maxMs;
  const p = stat === 'med' ? 50 : Number(percentile);
  const byP: Record<number, number | null> = {
    50: stats.p50Ms,
    90: stats.p90Ms,
    95: stats.p95Ms,
    99: stats.p99Ms,
  };
  return byP[p] ?? null;
}

function compare(value: number, op: string, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '!=':
      return value !== limit;
    default:
      return value === limit;
  }
}

function storeValue(metric: string, stat: string, percentile: string | undefined, f: Figures): number | null {
  if (metric === 'http_req_duration')
    return stat === 'rate' ? null : latencyValue(f.latency, stat, percentile);
  const sub = SUBMETRIC.exec(metric);
  if (sub) return stat === 'rate' ? null : latencyValue(f.byName.get(sub[1]!), stat, percentile);
  if (metric === 'http_req_failed' && stat === 'rate') return f.errorRate;
  if (metric === 'checks' && stat === 'rate') {
    const passes = f.checks.reduce((a, c) => a + c.passes, 0);
    const total = passes + f.checks.reduce((a, c) => a + c.fails, 0);
    return total > 0 ? passes / total : null;
  }
  return null;
}

export function judgeThresholds(recorded: ThresholdResult[], figures: Figures): StoreThreshold[] {
  return recorded.map(({ metric, expr }) => {
    const m = EXPR.exec(expr);
    const value = m ? storeValue(metric, m[1]!.startsWith('p(') ? 'p' : m[1]!, m[2], figures) : null;
    return { metric, expr, value, ok: value === null || !m ? null : compare(value, m[3]!, Number(m[4])) };
  });
}
