// End-to-end collector benchmark: OTLP/HTTP protobuf from the real OTel SDK encoder → collector →
// embedded chDB, against the raw store insert of the same rows measured just before and just after
// each case in the same run (ratio to their mean; also CPU per point, steadier on a busy machine),
// for several numbers of concurrent exporters and both acknowledgement modes (after the insert;
// after the fsync'd queue append), with p50/p99 acknowledgement latency and the rows per store
// insert; then an overload phase (store refusing, bounded queue) showing that memory stays bounded
// and the excess is refused with 429/503, not dropped.
// Every case sends the same posts (split among its clients), so every case stores the same rows.
// Run: node bench/collector-e2e.ts [clients=16,128] [posts=1280]   (clients: comma-separated list)
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CumulativeToDelta,
  createStore,
  decodeMetricsProto,
  startCollector,
} from '../collector/src/index.ts';
import { insertBatch } from '../collector/src/write/insert.ts';
import { metricRows, type Row } from '../collector/src/write/rows.ts';
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
const store = await createStore({ dataDir: join(dir, 'chdb') });
const load = () => loadavg()[0]?.toFixed(1) ?? '';

/** CPU seconds of the whole process (JS and the embedded store's threads) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/** The same rows straight into the store (same tables and views) in 10k-row batches. */
async function rawInsert(): Promise<{ pointsPerSec: number; cpuMsPer1k: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const table of tables) {
    const all: Row[] = [];
    for (let i = 0; i < totalPosts; i++) for (const row of sample[table]) all.push(row);
    for (let i = 0; i < all.length; i += 10_000)
      await insertBatch(store.client, table, all.slice(i, i + 10_000), randomUUID());
  }
  return {
    pointsPerSec: points / ((performance.now() - start) / 1000),
    cpuMsPer1k: cpuSince(cpu) / (points / 1e6),
  };
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
    await sleep(2000); // let the previous case's background merges settle
    const rawBefore = await rawInsert();
    const collector = await startCollector({
      store,
      port: 0,
      queueDir: join(dir, `queue-${clients}-${ackAfter}`),
      batch: { ackAfter },
    });
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
    const cpuSeconds = cpuSince(cpu);
    const inserts = await storeInsertCount(collector.url);
    await collector.close();
    // The machine's load drifts: the reference is the mean of raw runs just before and after.
    await sleep(2000);
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
  let peakRss = 0;
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
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
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    loadAverage: load(),
  });
  await collector.close();
}
await store.close();
rmSync(dir, { recursive: true, force: true });

const round = (n: number | undefined) => (n === undefined ? '' : Math.round(n));
console.log(
  `payload: ${pointsPerPost} points, protobuf ${proto.length} B; ${totalPosts} posts per case; node ${process.version}`,
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
  JSON.stringify({ node: process.version, clientCounts, totalPosts, pointsPerPost, results }, null, 2),
);
console.log(`saved ${out.pathname}`);
