// Replays the quiet hour (quiet-hour.ts) through a real collector's OTLP/HTTP ingest into a fresh
// embedded store, both built from collector variables as the product builds them, then reads the
// dashboard's figures, the stored rows and the store's parts. Run as its own process
// (`node quiet-hour-replay.ts '<json>'`, result JSON written to `out`): chDB opens one data
// directory per process, and each replay needs a store of its own.
//
// The replay is paced to stay under the collector's light-traffic bound (at most 900 rows in any
// second of its clock; the bound is 1000), so a coalescing collector coalesces all of it: an hour
// of a quiet target played at ~70× speed still arrives as light traffic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CollectorStats,
  collectorOptionsFromEnv,
  createStore,
  parseCollectorEnv,
  type Store,
  startCollector,
  storeOptionsFromEnv,
} from 'collector';
import { quietHour } from './quiet-hour.ts';
import { type QuietHourFigures, quietHourFigures } from './quiet-hour-figures.ts';
import { untilQueueDrained } from './stored.ts';

export interface QuietHourReplayInput {
  dataDir: string;
  t0: number;
  /** COLLECTOR_COALESCE_MS of this collector. */
  coalesceMs: number;
  out: string;
  seconds?: number;
}

export const RAW_TABLES = [
  'otel_metrics_histogram',
  'otel_metrics_gauge',
  'otel_metrics_sum',
  'otel_traces',
] as const;

export interface QuietHourReplayResult {
  requests: number;
  wallMs: number;
  /** CPU of the whole process (collector, store and the replaying client), user + system. */
  cpuMs: number;
  stats: CollectorStats;
  /** Per raw table: rows, and an order-free digest of their content. */
  stored: Record<string, { rows: number; digest: string }>;
  /** Active parts per otel_* table right after the queue drained. */
  parts: Record<string, number>;
  /** The same with the parts merged away but not yet removed (kept about 8 minutes). */
  partsOnDisk: Record<string, number>;
  figures: QuietHourFigures;
}

const MAX_ROWS_PER_SECOND = 900;
/** Seconds of exports per request: 900 metric and 900 trace requests for the hour. */
export const CHUNK_SECONDS = 4;

async function json<T>(store: Store, query: string): Promise<T[]> {
  const result = await store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

export async function replayQuietHour(input: QuietHourReplayInput): Promise<QuietHourReplayResult> {
  const env = parseCollectorEnv({
    DATA_DIR: input.dataDir,
    COLLECTOR_PORT: '0',
    COLLECTOR_COALESCE_MS: String(input.coalesceMs),
    // The collector's own counters differ between the two by design; they are not the target's figures.
    COLLECTOR_SELF_TELEMETRY_INTERVAL: '0',
  });
  const store = await createStore(storeOptionsFromEnv(env));
  const collector = await startCollector({ store, ...collectorOptionsFromEnv(env) });
  try {
    const hour = quietHour(input.t0, CHUNK_SECONDS, input.seconds ?? 3600);
    let second = -1;
    let rowsThisSecond = 0;
    let requests = 0;
    const post = async (path: string, body: unknown, rows: number) => {
      let now = Math.floor(performance.now() / 1000);
      while (now === second && rowsThisSecond + rows > MAX_ROWS_PER_SECOND) {
        await sleep((now + 1) * 1000 - performance.now() + 1);
        now = Math.floor(performance.now() / 1000);
      }
      if (now !== second) {
        second = now;
        rowsThisSecond = 0;
      }
      rowsThisSecond += rows;
      const response = await fetch(`${collector.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      requests++;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text}`);
      if (/rejected/i.test(text) && !/"rejected\w*":\s*"?0/.test(text))
        throw new Error(`${path}: part of the data was rejected: ${text}`);
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    // Metrics and traces go side by side, as the SDK's two exporters send them; each in time order.
    for (const chunk of hour.chunks)
      await Promise.all([
        post('/v1/metrics', chunk.metrics, chunk.points),
        chunk.spans > 0 ? post('/v1/traces', chunk.traces, chunk.spans) : undefined,
      ]);
    // Everything acknowledged is durable; stored once the queue (coalesced batches) has drained.
    await untilQueueDrained(collector, 120_000);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const partRows = await json<{ table: string; n: string; all: string }>(
      store,
      `SELECT table, countIf(active) AS n, count() AS all FROM system.parts
       WHERE database = currentDatabase() AND table LIKE 'otel%' GROUP BY table ORDER BY table`,
    );
    const figures = await quietHourFigures(store, input.t0);
    const stored: QuietHourReplayResult['stored'] = {};
    for (const table of RAW_TABLES) {
      const [row] = await json<{ n: string; digest: string }>(
        store,
        `SELECT count() AS n, toString(sum(cityHash64(*))) AS digest FROM ${table}`,
      );
      stored[table] = { rows: Number(row?.n ?? 0), digest: row?.digest ?? '' };
    }
    return {
      requests,
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      stats: collector.stats(),
      stored,
      parts: Object.fromEntries(partRows.map((r) => [r.table, Number(r.n)])),
      partsOnDisk: Object.fromEntries(partRows.map((r) => [r.table, Number(r.all)])),
      figures,
    };
  } finally {
    await collector.close();
    await store.close();
  }
}

if (process.argv[1]?.endsWith('quiet-hour-replay.ts')) {
  const input = JSON.parse(process.argv[2] ?? '{}') as QuietHourReplayInput;
  const result = await replayQuietHour(input);
  writeFileSync(input.out, JSON.stringify(result));
  process.exit(0);
}

export const quietHourReplayScript = join(import.meta.dirname, 'quiet-hour-replay.ts');
