// End-to-end collector benchmark: OTLP/HTTP protobuf from the real OTel SDK encoder → collector →
// embedded chDB, against the raw store insert of the same rows measured in the same run (ratio),
// for both acknowledgement modes (after the insert; after the fsync'd queue append), with p50/p99
// acknowledgement latency; then an overload phase (store refusing, bounded queue) showing that
// memory stays bounded and the excess is refused with 429/503, not dropped.
// Run: node bench/collector-e2e.ts [clients=16] [postsPerClient=40]
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { sampleMetricsPayload } from './support/otlp-payload.ts';

const clients = Number(process.argv[2] ?? 16);
const postsPerClient = Number(process.argv[3] ?? 40);

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const proto = (await sampleMetricsPayload()).proto;
const sample = metricRows(decodeMetricsProto(proto), new CumulativeToDelta());
const pointsPerPost = sample.otel_metrics_histogram.length + sample.otel_metrics_sum.length;
const totalPosts = clients * postsPerClient;
const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
const store = await createStore({ dataDir: join(dir, 'chdb') });
const results: Record<string, unknown>[] = [];

// Reference: the same rows inserted straight into the store, in batches of the collector's size,
// through the collector's own insert call (same row format and deduplication token per batch).
{
  const tables = ['otel_metrics_histogram', 'otel_metrics_sum'] as const;
  const start = performance.now();
  for (const table of tables) {
    const all: Row[] = [];
    for (let i = 0; i < totalPosts; i++) for (const row of sample[table]) all.push(row);
    for (let i = 0; i < all.length; i += 10_000)
      await insertBatch(store.client, table, all.slice(i, i + 10_000), randomUUID());
  }
  const seconds = (performance.now() - start) / 1000;
  results.push({
    case: 'raw store insert (10k-row batches)',
    pointsPerSec: (pointsPerPost * totalPosts) / seconds,
  });
}
const raw = results[0]?.pointsPerSec as number;

for (const ackAfter of ['insert', 'queue'] as const) {
  const collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, `queue-${ackAfter}`),
    batch: { ackAfter },
  });
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < postsPerClient; i++) {
        const t = performance.now();
        const res = await fetch(`${collector.url}/v1/metrics`, {
          method: 'POST',
          body: proto,
          headers: { 'content-type': 'application/x-protobuf' },
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const acked = (performance.now() - start) / 1000;
  while (collector.stats().queueBatches > 0) await sleep(20);
  const stored = (performance.now() - start) / 1000;
  await collector.close();
  latencies.sort((a, b) => a - b);
  const pointsPerSec = (pointsPerPost * totalPosts) / stored;
  results.push({
    case: `OTLP/HTTP → chDB, ack after ${ackAfter} (${clients} clients)`,
    pointsPerSec,
    ackedPointsPerSec: (pointsPerPost * totalPosts) / acked,
    vsRaw: pointsPerSec / raw,
    p50AckMs: percentile(latencies, 0.5),
    p99AckMs: percentile(latencies, 0.99),
  });
}

// Overload: the store refuses every write; 2× the clients hammer a collector with a 4 MiB queue.
{
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
    clients: clients * 2,
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
    case: `overload: store refusing, ${clients * 2} clients, 4 MiB queue`,
    statuses: ingest.statuses,
    acknowledgedPoints: ingest.acked.size,
    storedAfterwards: Number(n),
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
  });
  await collector.close();
}
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `payload: ${pointsPerPost} points, protobuf ${proto.length} B; ${totalPosts} posts; node ${process.version}`,
);
console.table(
  results.map((r) => ({
    case: r.case,
    'points/s (stored)': r.pointsPerSec ? Math.round(r.pointsPerSec as number) : '',
    'points/s (acked)': r.ackedPointsPerSec ? Math.round(r.ackedPointsPerSec as number) : '',
    'vs raw': r.vsRaw ? `${(r.vsRaw as number).toFixed(2)}×` : '',
    'p50 / p99 ack ms': r.p99AckMs
      ? `${(r.p50AckMs as number).toFixed(0)} / ${(r.p99AckMs as number).toFixed(0)}`
      : '',
  })),
);
const overload = results.at(-1);
console.log('overload:', JSON.stringify(overload));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const out = new URL(
  `./results/collector-e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
writeFileSync(
  out,
  JSON.stringify({ node: process.version, clients, postsPerClient, pointsPerPost, results }, null, 2),
);
console.log(`saved ${out.pathname}`);
