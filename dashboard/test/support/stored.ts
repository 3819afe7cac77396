// Acknowledged is not yet stored: the all-in-one collector keeps light traffic in its fsync'd queue
// for up to COLLECTOR_COALESCE_MS (5 s by default on the embedded store) and stores it as one insert.
// Tests that read the store right after posting wait for the queue to drain.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectorStats } from 'collector';

/** Resolves once the collector's on-disk queue holds nothing; throws after `timeoutMs`. */
export async function untilQueueDrained(
  collector: { stats(): CollectorStats },
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (collector.stats().queueBatches > 0) {
    if (Date.now() > deadline)
      throw new Error(
        `the collector's queue still holds ${collector.stats().queueBatches} batches after ${timeoutMs} ms`,
      );
    await sleep(100);
  }
}
