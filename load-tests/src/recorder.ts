// The launcher's recorder: every state transition of a run appended to cp_runs through the run
// repository (run-store.ts), in order, and the sweep that marks runs a gone launcher left as lost.
import type { Run } from './run-state.ts';
import { appendRun, markLostRuns, type StoreClient } from './run-store.ts';

export type RunRecorder = {
  record(run: Run): Promise<void>;
  /** Ends runs the store shows active that `owned` lacks as `lost`; returns their ids. */
  markLost?(owned: ReadonlySet<string>): Promise<string[]>;
};

export function createClickHouseRunRecorder(client: StoreClient): RunRecorder {
  let last = 0;
  return {
    async record(run) {
      // Transitions can land in the same millisecond; UpdatedAt must still order them.
      last = Math.max(Date.now(), last + 1);
      await appendRun(client, run, last);
    },
    markLost: (owned) => markLostRuns(client, owned),
  };
}
