// The browser's picture of the launcher: runs by id and each run's live history, folded from
// the runs.live stream (a snapshot, then run changes and k6 status readings).
import type { LiveStatus } from 'load-tests/model';
import { appendLivePoint, type LivePoint } from './chart-data.ts';
import type { RunView } from './run-view.ts';

export type RunStreamEvent =
  | { type: 'snapshot'; runs: RunView[] }
  | { type: 'run'; run: RunView }
  | { type: 'status'; runId: string; live: LiveStatus };

export interface RunStreamState {
  runs: Record<string, RunView>;
  history: Record<string, LivePoint[]>;
}

export const emptyRunStream: RunStreamState = { runs: {}, history: {} };

const pointOf = (live: LiveStatus): LivePoint => ({ t: live.at, p95Ms: live.p95Ms, reqRate: live.reqRate });

function withLive(
  history: RunStreamState['history'],
  id: string,
  live: LiveStatus | null,
): RunStreamState['history'] {
  if (!live) return history;
  return { ...history, [id]: appendLivePoint(history[id] ?? [], pointOf(live)) };
}

export function applyRunEvent(state: RunStreamState, event: RunStreamEvent): RunStreamState {
  switch (event.type) {
    case 'snapshot': {
      let history = state.history;
      const runs: Record<string, RunView> = {};
      for (const run of event.runs) {
        runs[run.id] = run;
        history = withLive(history, run.id, run.live);
      }
      return { runs: { ...state.runs, ...runs }, history };
    }
    case 'run':
      return {
        runs: { ...state.runs, [event.run.id]: event.run },
        history: withLive(state.history, event.run.id, event.run.live),
      };
    case 'status': {
      const run = state.runs[event.runId];
      return {
        runs: run ? { ...state.runs, [run.id]: { ...run, live: event.live } } : state.runs,
        history: withLive(state.history, event.runId, event.live),
      };
    }
    default: {
      const unknownEvent: never = event;
      throw new Error(`unknown run stream event ${JSON.stringify(unknownEvent)}`);
    }
  }
}

/** Runs newest first. */
export function runsNewestFirst(state: RunStreamState): RunView[] {
  return Object.values(state.runs).sort((a, b) => b.createdAt - a.createdAt);
}
