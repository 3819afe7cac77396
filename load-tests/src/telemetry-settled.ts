// Waits, at the end of a run, until the store holds the k6 telemetry the run's summary counted: a
// collector acknowledges k6's last export before it is stored (its on-disk queue coalesces light
// traffic for a few seconds; a separate collector batches too), and a run shown as ended must read the
// same counts on every screen at once. Bounded: after `timeoutMs` the run ends with what is there.
import { setTimeout as sleep } from 'node:timers/promises';
import { sumByGroup } from './results/store-queries.ts';
import type { StoreClient } from './run-store.ts';

export type SettleOutcome = { settled: boolean; stored: number; waitedMs: number };

/**
 * Polls the stored `http_reqs` of run `runId` (service k6) until they reach `expected` (the
 * summary's count) or `timeoutMs` passes. `from` bounds the query (the run's start).
 */
export async function awaitStoredRequests(
  client: StoreClient,
  runId: string,
  expected: number,
  opts: { from: number; timeoutMs?: number; intervalMs?: number },
): Promise<SettleOutcome> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 250;
  const selector = {
    metric: 'http_reqs',
    serviceName: 'k6',
    where: [{ key: 'run_id', op: '=' as const, value: runId }],
  };
  let stored = 0;
  for (;;) {
    const window = { from: opts.from - 60_000, to: Date.now() + 60_000 };
    const rows = await sumByGroup(client, selector, window, []).catch(() => []);
    stored = rows.reduce((n, r) => n + r.total, 0);
    const waitedMs = Date.now() - started;
    if (stored >= expected) return { settled: true, stored, waitedMs };
    if (waitedMs >= timeoutMs) return { settled: false, stored, waitedMs };
    await sleep(intervalMs);
  }
}
