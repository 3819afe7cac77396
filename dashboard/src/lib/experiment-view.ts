// What the Experiments page, the router and the CLI share about an experiment: its live progress
// and a list row with its verdicts counted. Types only from load-tests, so browser code may use it.
import type { Experiment, ExperimentState, Verdict } from 'load-tests';

/** Where the running experiment is: which variant, which repeat, the current run. */
export type ExperimentProgress = {
  experimentId: string;
  name: string;
  launchedBy: string;
  startedAt: number;
  /** Counted runs in the order, and how many of them have ended. */
  total: number;
  done: number;
  variant: string | null;
  /** 1-based repeat of the variant (its round); of `repeats`. */
  repeat: number | null;
  repeats: number;
  /** 1-based position of the current run in the order. */
  position: number | null;
  warmup: boolean;
  currentRunId: string | null;
  runState: string | null;
  /** Others' runs against the target it waits for before switching. */
  waitingFor: string[];
  stopping: boolean;
};

export type VerdictCounts = Partial<Record<Verdict, number>>;

export type ExperimentRow = {
  id: string;
  name: string;
  state: ExperimentState;
  reason: string | null;
  launchedBy: string;
  createdAt: number;
  endedAt: number | null;
  runs: number;
  total: number;
  verdicts: VerdictCounts;
};

export function verdictCounts(e: Pick<Experiment, 'result'>): VerdictCounts {
  const counts: VerdictCounts = {};
  for (const o of e.result?.optimisations ?? []) counts[o.verdict] = (counts[o.verdict] ?? 0) + 1;
  return counts;
}

export function experimentRow(e: Experiment): ExperimentRow {
  return {
    id: e.id,
    name: e.definition.name,
    state: e.state,
    reason: e.reason,
    launchedBy: e.launchedBy,
    createdAt: e.createdAt,
    endedAt: e.endedAt,
    runs: e.runs.length,
    total: e.order.length,
    verdicts: verdictCounts(e),
  };
}
