// What our collector stored, per phase (service) and signal. chDB locks its data directory to one
// process, so this runs as a short-lived child after our collector has stopped: it opens DATA_DIR's
// store with the collector's own createStore, counts, prints JSON and exits (releasing the lock).
// Per signal: the stored total (counter values summed, spans and records counted) and the total
// over distinct items (a counter's point per series and timestamp, a span's ids, a record's `seq`),
// so copies stored twice show as `stored − distinct`, and losses as `sent − distinct`.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore } from '../../collector/src/index.ts';
import { CUMULATIVE_METRIC, DELTA_METRIC } from './load.ts';

export const SIGNALS = ['deltaCounter', 'cumulativeCounter', 'spans', 'logs'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface StoredCount {
  /** Counter values summed over every stored row; spans and log records counted. */
  stored: number;
  /** The same over distinct items only (duplicate rows counted once). */
  distinct: number;
  rows: number;
}
/** service → signal → count */
export type StoredCounts = Record<string, Partial<Record<Signal, StoredCount>>>;

const SELF = fileURLToPath(import.meta.url);

/** Runs this file as a child process over `dataDir` (our collector must be stopped). */
export function countStored(dataDir: string, servicePrefix: string): Promise<StoredCounts> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SELF, dataDir, servicePrefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) done(JSON.parse(line) as StoredCounts);
      else fail(new Error(`counting the store failed (exit ${code}): ${err.slice(-2000)}`));
    });
  });
}

async function count(dataDir: string, prefix: string): Promise<StoredCounts> {
  const store = await createStore({ dataDir: resolve(dataDir, 'chdb') });
  const counts: StoredCounts = {};
  const put = (service: string, signal: Signal, value: StoredCount) => {
    counts[service] ??= {};
    (counts[service] as Partial<Record<Signal, StoredCount>>)[signal] = value;
  };
  type Row = { service: string; name: string; stored: number; distinct: number; rows: number };
  const rows = async (query: string) => {
    const result = await store.client.query({
      query,
      query_params: { prefix },
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return result.json<Row>();
  };
  try {
    // A delta point per series and timestamp: a second row with both equal is a copy.
    const sums = await rows(`
      SELECT service, name, sum(total) AS stored, sum(first) AS distinct, sum(n) AS rows FROM (
        SELECT ServiceName AS service, MetricName AS name, sum(Value) AS total, any(Value) AS first, count() AS n
        FROM otel_metrics_sum WHERE startsWith(ServiceName, {prefix:String})
        GROUP BY ServiceName, MetricName, Attributes, TimeUnix)
      GROUP BY service, name`);
    for (const row of sums) {
      const signal =
        row.name === DELTA_METRIC
          ? 'deltaCounter'
          : row.name === CUMULATIVE_METRIC
            ? 'cumulativeCounter'
            : null;
      if (signal) put(row.service, signal, { stored: row.stored, distinct: row.distinct, rows: row.rows });
    }
    const spans = await rows(`
      SELECT ServiceName AS service, 'spans' AS name, count() AS stored, uniqExact(TraceId, SpanId) AS distinct,
        count() AS rows
      FROM otel_traces WHERE startsWith(ServiceName, {prefix:String}) GROUP BY ServiceName`);
    for (const row of spans)
      put(row.service, 'spans', { stored: row.stored, distinct: row.distinct, rows: row.rows });
    const logs = await rows(`
      SELECT ServiceName AS service, 'logs' AS name, count() AS stored, uniqExact(LogAttributes['seq']) AS distinct,
        count() AS rows
      FROM otel_logs WHERE startsWith(ServiceName, {prefix:String}) GROUP BY ServiceName`);
    for (const row of logs)
      put(row.service, 'logs', { stored: row.stored, distinct: row.distinct, rows: row.rows });
  } finally {
    await store.close();
  }
  return counts;
}

if (resolve(process.argv[1] ?? '') === SELF) {
  const [dataDir, prefix] = process.argv.slice(2);
  if (!dataDir || !prefix) throw new Error('usage: count-stored.ts <DATA_DIR> <service prefix>');
  console.log(JSON.stringify(await count(dataDir, prefix)));
  process.exit(0);
}
