// Collector ingest benchmark: decode + row mapping throughput for OTLP protobuf and JSON, against
// a reference measured in the same run (JSON.parse of the same JSON body: the floor any JSON path
// pays), then end-to-end OTLP/HTTP → chDB. Prints a table and writes bench/results/*.json.
// Run: node bench/collector-ingest.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CumulativeToDelta,
  createStore,
  decodeMetricsJson,
  decodeMetricsProto,
  startCollector,
} from '../collector/src/index.ts';
import { metricRows } from '../collector/src/write/metric-rows.ts';
import { sampleMetricsPayload } from './support/otlp-payload.ts';

function measure(name: string, bytes: number, points: number, fn: () => void, minMs = 1500) {
  for (let i = 0; i < 50; i++) fn();
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    iterations++;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    name,
    opsPerSec: iterations / seconds,
    mbPerSec: (bytes * iterations) / seconds / 1e6,
    pointsPerSec: (points * iterations) / seconds,
  };
}

const { proto, json } = await sampleMetricsPayload();
const points = metricRows(decodeMetricsProto(proto), new CumulativeToDelta());
const pointCount = points.otel_metrics_histogram.length + points.otel_metrics_sum.length;
const reference = measure('reference: JSON.parse only', json.length, pointCount, () =>
  JSON.parse(Buffer.from(json).toString('utf8')),
);
const rows = [
  reference,
  measure('protobuf decode + rows', proto.length, pointCount, () =>
    metricRows(decodeMetricsProto(proto), new CumulativeToDelta()),
  ),
  measure('JSON decode + rows', json.length, pointCount, () =>
    metricRows(decodeMetricsJson(json), new CumulativeToDelta()),
  ),
];

// End to end into a real embedded store: one client waits out each batch window (latency-bound,
// since a request is acknowledged only once stored); 16 concurrent clients share batches.
const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const store = await createStore({ dataDir: dir });
const collector = await startCollector({ store, port: 0 });
async function ingest(clients: number, postsPerClient: number) {
  const post = async () => {
    for (let i = 0; i < postsPerClient; i++) {
      const res = await fetch(`http://127.0.0.1:${collector.port}/v1/metrics`, {
        method: 'POST',
        body: proto,
        headers: { 'content-type': 'application/x-protobuf' },
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, post));
  const seconds = (performance.now() - start) / 1000;
  const posts = clients * postsPerClient;
  return {
    name: `OTLP/HTTP → chDB (${clients} client${clients > 1 ? 's' : ''})`,
    opsPerSec: posts / seconds,
    mbPerSec: (proto.length * posts) / seconds / 1e6,
    pointsPerSec: (pointCount * posts) / seconds,
  };
}
rows.push(await ingest(1, 50), await ingest(16, 50));
await collector.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `payload: ${pointCount} points, protobuf ${proto.length} B, JSON ${json.length} B; node ${process.version}`,
);
console.table(
  rows.map((r) => ({
    case: r.name,
    'req/s': Math.round(r.opsPerSec),
    'MB/s': r.mbPerSec.toFixed(1),
    'points/s': Math.round(r.pointsPerSec),
    'vs reference': `${(r.pointsPerSec / reference.pointsPerSec).toFixed(2)}×`,
  })),
);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const out = new URL(
  `./results/collector-ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
writeFileSync(
  out,
  JSON.stringify(
    { node: process.version, pointCount, protoBytes: proto.length, jsonBytes: json.length, rows },
    null,
    2,
  ),
);
console.log(`saved ${out.pathname}`);
