// Whether anyone is looking at the dashboard: live streams note every snapshot a viewer asks for,
// API calls note themselves. The all-in-one process uses it to let the collector gather a quiet
// target's rows longer while no one would see them sooner (start-services.ts).

/** A viewer counts as present for this long after their last request or snapshot. */
export const VIEWER_PRESENT_MS = 60_000;

export interface ViewerActivity {
  /** Someone asked for something now. */
  note(): void;
  /** Someone asked within the last VIEWER_PRESENT_MS. */
  readonly present: boolean;
}

export function createViewerActivity(clock: () => number = Date.now): ViewerActivity {
  let last = Number.NEGATIVE_INFINITY;
  return {
    note() {
      last = clock();
    },
    get present() {
      return clock() - last < VIEWER_PRESENT_MS;
    },
  };
}

type CoalesceEnv = { COLLECTOR_COALESCE_MS: number; COLLECTOR_COALESCE_UNWATCHED_MS: number };

/** The longest the collector may hold acknowledged rows back from the store (either window). */
export function longestCoalesceMs(env: CoalesceEnv): number {
  return env.COLLECTOR_COALESCE_MS > 0
    ? Math.max(env.COLLECTOR_COALESCE_MS, env.COLLECTOR_COALESCE_UNWATCHED_MS)
    : 0;
}

/**
 * The collector's coalescing window as the all-in-one process runs it: COLLECTOR_COALESCE_MS while
 * someone views the dashboard, the longer unwatched window otherwise; off stays off.
 */
export function coalesceWindow(env: CoalesceEnv, viewers: ViewerActivity): () => number {
  const unwatched = longestCoalesceMs(env);
  return () => (viewers.present ? env.COLLECTOR_COALESCE_MS : unwatched);
}
