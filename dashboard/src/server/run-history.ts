// Runs recorded in cp_runs, read through load-tests' run repository and shown as RunViews. Runs
// from before this process started come from here, with their results.
import type { Store } from 'collector';
import { findRun, readRecentRuns, type StoredRun } from 'load-tests/results';
import type { RunView } from '../lib/run-view.ts';

/** A stored run as the pages show it (no live numbers: k6 is not running it here). */
export function storedRunToView(run: StoredRun): RunView {
  const { exitCode: _exitCode, ...view } = run;
  return { ...view, live: null };
}

/** The newest runs, newest first. */
export async function readStoredRuns(client: Store['client'], limit: number): Promise<RunView[]> {
  return (await readRecentRuns(client, limit)).map(storedRunToView);
}

export async function readStoredRun(client: Store['client'], id: string): Promise<RunView | undefined> {
  const run = await findRun(client, id);
  return run && storedRunToView(run);
}
