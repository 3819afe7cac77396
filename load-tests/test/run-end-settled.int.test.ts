// A run shows as ended only once the store holds the k6 telemetry its summary counted: the collector
// of `npm start` acknowledges light traffic after an fsync'd append and stores it coalesced seconds
// later, so without the wait a report opened as the run ends read 0 requests (report.spec did).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { queryRunResults } from '../src/results/run-results.ts';
import type { EndedRun } from '../src/run-state.ts';
import { readSummaryFile } from '../src/summary.ts';
import { type StoreLoop, startStoreLoop } from './helpers/store-loop.ts';

let loop: StoreLoop;
let run: EndedRun;
beforeAll(async () => {
  loop = await startStoreLoop({ coalesceMs: 5_000 });
  run = await loop.smoke({ vus: 2, duration: '3s', samples: true });
});
afterAll(async () => {
  await loop?.close();
});

test('the results read as the run ends count every request k6 counted', async () => {
  const summary = await readSummaryFile(run.summaryPath);
  const counted = summary?.metrics.http_reqs?.values.count ?? 0;
  expect(counted).toBeGreaterThan(0);
  const results = await queryRunResults(loop.store.client, run.id);
  expect(results.totals.requests).toBe(counted);
});
