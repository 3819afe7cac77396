// End-to-end collector benchmark: OTLP/HTTP protobuf from the real OTel SDK encoder → collector →
// embedded chDB, against the raw store insert of the same rows measured just before and just after
// each case in the same run (ratio to their mean; also CPU per point until the store's merges of
// those rows are done, steadier on a busy machine; each phase starts with no merge running),
// for several numbers of concurrent exporters and both acknowledgement modes (after the insert;
// after the fsync'd queue append), with p50/p99 acknowledgement latency and the rows per store
// insert; then an overload phase (store refusing, bounded queue) showing that memory stays bounded
// and the excess is refused with 429/503, not dropped.
// Every case sends the same posts (split among its clients), so every case stores the same rows.
// Run: node bench/collector-e2e.ts [clients=16,128] [posts=1280]   (clients: comma-separated list)
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CumulativeToDelta,
  collectorOptionsFromEnv,
  createStore,
  decodeMetricsProto,
  parseCollectorEnv,
  startCollector,
} from '../collector/src/index.ts';
import { insertBatch } from '../collector/src/write/insert.ts';
import { metricRows } from '../collector/src/write/metric-rows.ts';
import type { Row } from '../collector/src/write/row-columns.ts';
import { faultyStore } from '../collector/test/support/faulty-store.ts';
import { steadyIngest } from '../collector/test/support/steady-ingest.ts';
import { postConcurrently, storeInsertCount } from './support/otlp-clients.ts';
import { sampleMetricsPayload } from './support/otlp-payload.ts';

const clientCounts = (process.argv[2] ?? '16,128').split(',').map(Number);
const totalPosts = Number(process.argv[3] ?? 1280);
if (clientCounts.some((c) => !Number.isInteger(c) || c < 1 || totalPosts % c !== 0))
  throw new Error(`each client count must divide the posts (${totalPosts})`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const proto = (await sampleMetricsPayload()).proto;
const sample = metricRows(decodeMetricsProto(proto), new CumulativeToDelta());
const tables = ['otel_metrics_histogram', 'otel_metrics_sum'] as const;
const pointsPerPost = tables.reduce((n, t) => n + sample[t].length, 0);
const points = pointsPerPost * totalPosts;
const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
// The store's memory cap as the collector takes it (COLLECTOR_STORE_MAX_MEMORY_MB, default 2048).
const collectorEnv = parseCollectorEnv();
const storeMaxMemoryMiB = collectorEnv.COLLECTOR_STORE_MAX_MEMORY_MB;
// Light-traffic coalescing as the collector takes it (COLLECTOR_COALESCE_MS; npm start sets 5000).
const coalesceMs = collectorOptionsFromEnv(collectorEnv).batch?.coalesceMs ?? 0;
const store = await createStore({
  dataDir: join(dir, 'chdb'),
  maxMemoryBytes: storeMaxMemoryMiB * 1024 * 1024,
});
const load = () => loadavg()[0]?.toFixed(1) ?? '';

/** CPU seconds of the whole process (JS and the embedded store's threads) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/**
 * Waits until the store runs no background merge (seen twice in a row; at most 30 s), so that one
 * phase's merges neither slow the next phase down nor land in its CPU figure.
 */
async function settleMerges(): Promise<void> {
  const until = Date.now() + 30_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < until) {
    const result = await store.client.query({
      query: 'SELECT count() AS n FROM system.merges',
      format: 'JSONEachRow',
    });
    const [{ n } = { n: '0' }] = await result.json<{ n: string }>();
    quiet = Number(n) === 0 ? quiet + 1 : 0;
    await sleep(100);
  }
}

/**
 * The same rows straight into the store (same tables and views) in 10k-row batches. CPU counts
 * until the merges the inserts set off are done, as it does end to end.
 */
async function rawInsert(): Promise<{ pointsPerSec: number; cpuMsPer1k: number }> {
  await settleMerges();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const table of tables) {
    const all: Row[] = [];
    for (let i = 0; i < totalPosts; i++) for (const row of sample[table]) all.push(row);
    for (let i = 0; i < all.length; i += 10_000)
      await insertBatch(store.client, table, all.slice(i, i + 10_000), randomUUID());
  }
  const pointsPerSec = points / ((performance.now() - start) / 1000);
  await settleMerges();
  return { pointsPerSec, cpuMsPer1k: cpuSince(cpu) / (points / 1e6) };
}

/** Resident memory by kind, MiB: file-backed (mostly the mapped 540 MB engine library) and anonymous. */
function residentMiB(): { file: number; anon: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { file: Math.round(kib('RssFile') / 1024), anon: Math.round(kib('RssAnon') / 1024) };
}

/** Memory the embedded store accounts for itself (its server-wide tracker), MiB. */
async function storeMemoryMiB(): Promise<number> {
  const result = await store.client.query({
    query: "SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'",
    format: 'JSONEachRow',
  });
  const [{ value } = { value: '0' }] = await result.json<{ value: string }>();
  return Math.round(Number(value) / 1024 / 1024);
}

interface CaseResult {
  case: string;
  clients: number;
  ackAfter?: 'insert' | 'queue';
  rawPointsPerSec?: number;
  pointsPerSec?: number;
  ackedPointsPerSec?: number;
  vsRaw?: number;
  p50AckMs?: number;
  p99AckMs?: number;
  rowsPerInsert?: number;
  /** CPU ms the process spent per 1000 points (all threads), raw and end to end. */
  rawCpuMsPer1k?: number;
  cpuMsPer1k?: number;
  loadAverage: string;
  [key: string]: unknown;
}
const results: CaseResult[] = [];

for (const clients of clientCounts)
  for (const ackAfter of ['insert', 'queue'] as const) {
    const rawBefore = await rawInsert();
    const collector = await startCollector({
      store,
      port: 0,
      queueDir: join(dir, `queue-${clients}-${ackAfter}`),
      batch: { ackAfter, coalesceMs },
    });
    await settleMerges();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const latencies = await postConcurrently(
      `${collector.url}/v1/metrics`,
      proto,
      clients,
      totalPosts / clients,
    );
    const acked = (performance.now() - start) / 1000;
    while (collector.stats().queueBatches > 0) await sleep(20);
    const stored = (performance.now() - start) / 1000;
    const inserts = await storeInsertCount(collector.url);
    await collector.close();
    await settleMerges();
    const cpuSeconds = cpuSince(cpu);
    // The machine's load drifts: the reference is the mean of raw runs just before and after.
    const rawAfter = await rawInsert();
    const raw = {
      pointsPerSec: (rawBefore.pointsPerSec + rawAfter.pointsPerSec) / 2,
      cpuMsPer1k: (rawBefore.cpuMsPer1k + rawAfter.cpuMsPer1k) / 2,
    };
    results.push({
      case: `${clients} clients, ack after ${ackAfter}`,
      clients,
      ackAfter,
      rawPointsPerSec: raw.pointsPerSec,
      pointsPerSec: points / stored,
      ackedPointsPerSec: points / acked,
      vsRaw: points / stored / raw.pointsPerSec,
      rawCpuMsPer1k: raw.cpuMsPer1k,
      cpuMsPer1k: cpuSeconds / (points / 1e6),
      p50AckMs: latencies.p50,
      p99AckMs: latencies.p99,
      rowsPerInsert: points / Math.max(1, inserts),
      loadAverage: load(),
    });
  }

// Overload: the store refuses every write; 2× the clients hammer a collector with a 4 MiB queue.
{
  const clients = 2 * (clientCounts[0] ?? 16);
  const faulty = faultyStore(store);
  faulty.fault = { type: 'refuse' };
  const collector = await startCollector({
    store: faulty.store,
    port: 0,
    queueDir: join(dir, 'queue-overload'),
    queue: { maxBytes: 4 * 1024 * 1024 },
  });
  const ingest = steadyIngest({
    url: () => `http://127.0.0.1:${collector.port}`,
    service: 'overload',
    clients,
    pointsPerRequest: 200,
    maxRetryWaitMs: 200,
  });
  const rssBefore = process.memoryUsage().rss;
  let peakRss = 0;
  let atPeak = residentMiB();
  let heapAtPeak = 0;
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    const { rss, heapTotal } = process.memoryUsage();
    if (rss > peakRss) {
      peakRss = rss;
      atPeak = residentMiB();
      heapAtPeak = heapTotal;
    }
    await sleep(100);
  }
  faulty.fault = { type: 'none' };
  await ingest.stop();
  while (collector.stats().queueBatches > 0) await sleep(50);
  const count = await store.client.query({
    query: "SELECT uniqExact(Attributes['seq']) AS n FROM otel_metrics_gauge WHERE ServiceName = 'overload'",
    format: 'JSONEachRow',
  });
  const [{ n } = { n: '0' }] = await count.json<{ n: string }>();
  results.push({
    case: `overload: store refusing, ${clients} clients, 4 MiB queue`,
    clients,
    statuses: ingest.statuses,
    acknowledgedPoints: ingest.acked.size,
    storedAfterwards: Number(n),
    rssBeforeMiB: Math.round(rssBefore / 1024 / 1024),
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    peakRssFileMiB: atPeak.file,
    peakRssAnonMiB: atPeak.anon,
    v8HeapAtPeakMiB: Math.round(heapAtPeak / 1024 / 1024),
    storeMemoryTrackedMiB: await storeMemoryMiB(),
    storeMaxMemoryMiB,
    loadAverage: load(),
  });
  await collector.close();
}
await store.close();
rmSync(dir, { recursive: true, force: true });

const round = (n: number | undefined) => (n === undefined ? '' : Math.round(n));
console.log(
  `payload: ${pointsPerPost} points, protobuf ${proto.length} B; ${totalPosts} posts per case; coalescing window ${coalesceMs} ms; node ${process.version}`,
);
console.table(
  results
    .filter((r) => r.ackAfter)
    .map((r) => ({
      case: r.case,
      'raw points/s': round(r.rawPointsPerSec),
      'points/s (stored)': round(r.pointsPerSec),
      'points/s (acked)': round(r.ackedPointsPerSec),
      'vs raw': `${r.vsRaw?.toFixed(2)}×`,
      'p50 / p99 ack ms': `${round(r.p50AckMs)} / ${round(r.p99AckMs)}`,
      'rows/insert': round(r.rowsPerInsert),
      'CPU ms/1k pts raw / e2e': `${round(r.rawCpuMsPer1k)} / ${round(r.cpuMsPer1k)}`,
      load: r.loadAverage,
    })),
);
console.log('overload:', JSON.stringify(results.at(-1)));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const out = new URL(
  `./results/collector-e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
writeFileSync(
  out,
  JSON.stringify(
    { node: process.version, clientCounts, totalPosts, pointsPerPost, coalesceMs, results },
    null,
    2,
  ),
);
console.log(`saved ${out.pathname}`);
