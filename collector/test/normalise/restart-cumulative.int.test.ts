// Cumulative counters across a collector restart: the last point of each series is saved at
// shutdown and taken back at start, so the first point after the restart yields the true delta —
// the stored total of a cumulative sum and histogram equals what the source counted.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';
import { DELTA_STATE_FILE } from '../../src/normalise/delta-state-file.ts';

let dir: string;
let store: Store;
let collector: CollectorServer;
const queueDir = () => join(dir, 'queue');
const start = () => startCollector({ store, port: 0, queueDir: queueDir(), batch: { maxDelayMs: 10 } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-restart-cumulative-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await start();
});

afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);

/** One export of a cumulative counter and histogram that started at `startMs`. */
async function exportCumulative(startMs: number, atMs: number, total: number) {
  const common = { startTimeUnixNano: nanos(startMs), timeUnixNano: nanos(atMs) };
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cumulative-svc' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'jobs.done',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ ...common, asInt: String(total) }],
                },
              },
              {
                name: 'job.duration',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      ...common,
                      count: String(total),
                      sum: total * 0.5,
                      explicitBounds: [1],
                      bucketCounts: [String(total), '0'],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`http://127.0.0.1:${collector.port}/v1/metrics`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
}

async function storedTotals() {
  const result = await store.client.query({
    query: `SELECT
      (SELECT sum(Value) FROM otel_metrics_sum WHERE ServiceName = 'cumulative-svc') AS sum,
      (SELECT sum(Count) FROM otel_metrics_histogram WHERE ServiceName = 'cumulative-svc') AS count`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ sum: number; count: string }>();
  return { sum: Number(row?.sum), count: Number(row?.count) };
}

describe('cumulative → delta across a restart', () => {
  it('stores the true increase between the last point before and the first after the restart', async () => {
    const seriesStart = Date.now(); // started after the collector: the first point counts whole
    await exportCumulative(seriesStart, seriesStart + 1_000, 100);
    await exportCumulative(seriesStart, seriesStart + 2_000, 250);
    await collector.close();
    expect(existsSync(join(queueDir(), DELTA_STATE_FILE))).toBe(true);

    collector = await start();
    // Taken at start: a crash from now on finds no stale state.
    expect(existsSync(join(queueDir(), DELTA_STATE_FILE))).toBe(false);
    await exportCumulative(seriesStart, seriesStart + 30_000, 400);
    await exportCumulative(seriesStart, seriesStart + 31_000, 420);
    await collector.close();
    collector = await start();
    expect(await storedTotals()).toEqual({ sum: 420, count: 420 });
  });
});
