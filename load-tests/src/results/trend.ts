// A scenario's key figures across its ended runs, oldest first, from each run's k6 summary as
// recorded in cp_runs (exact per run; a distributed run's percentiles are its worst segment's).

import { isTerminal, type RunState } from '../run-state.ts';
import { readScenarioRuns, type StoreClient } from '../run-store.ts';
import { readBaseline } from './baselines.ts';

export type TrendPoint = {
  runId: string;
  createdAt: number;
  state: RunState;
  params: Record<string, unknown>;
  exitCode: number | null;
  thresholdsPassed: boolean | null;
  requests: number | null;
  reqRate: number | null;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  isBaseline: boolean;
};

export async function scenarioTrend(
  client: StoreClient,
  scenario: string,
  opts: { limit?: number } = {},
): Promise<TrendPoint[]> {
  const [runs, baseline] = await Promise.all([
    readScenarioRuns(client, scenario, opts.limit ?? 100),
    readBaseline(client, scenario),
  ]);
  return runs
    .filter((r) => isTerminal(r.state))
    .map((r) => {
      const s = r.result?.stats ?? null;
      return {
        runId: r.id,
        createdAt: r.createdAt,
        state: r.state,
        params: r.params,
        exitCode: r.exitCode,
        thresholdsPassed: r.result?.thresholdsPassed ?? null,
        requests: s?.httpReqs ?? null,
        reqRate: s?.reqRate ?? null,
        errorRate: s?.errorRate ?? null,
        p50Ms: s?.p50Ms ?? null,
        p95Ms: s?.p95Ms ?? null,
        p99Ms: s?.p99Ms ?? null,
        isBaseline: baseline?.runId === r.id,
      };
    });
}
