// Watching and stopping a running k6 through its REST API: the watch polls status and metrics
// (fast until the API is up), and a stop escalates — REST stop, then SIGTERM after stopTimeoutMs,
// then SIGKILL after killTimeoutMs; before the API is up a signal is the only way (k6 exits 105).
import { setTimeout as sleep } from 'node:timers/promises';
import type { K6Process } from './k6-process.ts';
import { createK6RestClient, liveStatusFrom } from './k6-rest.ts';
import type { LiveStatus } from './run-state.ts';

export type K6Rest = ReturnType<typeof createK6RestClient>;
export { createK6RestClient };

/** Polls k6 until `watching()` is false; `up` once when the API first answers running, `status` each tick. */
export async function watchK6(opts: {
  rest: K6Rest;
  watching: () => boolean;
  /** Still starting: poll every 250 ms at most until the API is up. */
  starting: () => boolean;
  pollIntervalMs: number;
  onUp: () => void;
  onStatus: (live: LiveStatus) => void;
}): Promise<void> {
  let previous: LiveStatus | undefined;
  while (opts.watching()) {
    try {
      const [status, metrics] = await Promise.all([opts.rest.getStatus(), opts.rest.getMetrics()]);
      if (!opts.watching()) break;
      if (opts.starting() && status.running) opts.onUp();
      if (status.running) {
        previous = liveStatusFrom(status, metrics, Date.now(), previous);
        opts.onStatus(previous);
      }
    } catch {
      // API not up yet (k6 still initialising) or already gone (k6 exiting): try again next tick.
    }
    await sleep(opts.starting() ? Math.min(250, opts.pollIntervalMs) : opts.pollIntervalMs);
  }
}

/** Asks k6 to stop, escalating to signals; the timers go into `timers` (cleared when k6 exits). */
export function stopK6(opts: {
  proc: K6Process;
  rest: K6Rest;
  runId: string;
  stopTimeoutMs: number;
  killTimeoutMs: number;
  timers: NodeJS.Timeout[];
  warn: (message: string) => void;
}): void {
  const { proc, runId, timers, warn } = opts;
  opts.rest.stop().catch(() => proc.signal('SIGTERM'));
  timers.push(
    setTimeout(() => {
      warn(`run ${runId}: k6 did not stop within ${opts.stopTimeoutMs} ms, sending SIGTERM`);
      proc.signal('SIGTERM');
      timers.push(
        setTimeout(() => {
          warn(`run ${runId}: k6 still alive ${opts.killTimeoutMs} ms after SIGTERM, sending SIGKILL`);
          proc.signal('SIGKILL');
        }, opts.killTimeoutMs),
      );
    }, opts.stopTimeoutMs),
  );
}
