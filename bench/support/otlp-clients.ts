// Closed-loop OTLP/HTTP exporters for the collector benchmark: each client posts the same encoded
// export and sends its next one only once the previous one is acknowledged, as an SDK exporter
// does; plus the collector's count of store inserts, read from its own /metrics. Every post ends
// with its own number in a field the OTLP message does not define (decoders skip it), so no post is
// byte for byte a repeat of another: the collector's request ledger would answer a repeat from its
// digest without storing it, and the bench would measure the ledger instead of ingest.
// The clients run on a worker thread with node:http and a keep-alive agent (what the OTel JS
// exporters use), so they are separate from the collector's event loop as real exporters are,
// while their CPU still counts in the process's CPU figures.
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface AckLatencies {
  p50: number;
  p99: number;
}

interface ClientJob {
  kind: 'otlp-clients';
  url: string;
  body: Uint8Array;
  clients: number;
  postsPerClient: number;
}

type ClientOutcome = { type: 'done'; latencies: number[] } | { type: 'failed'; message: string };

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** `clients` concurrent exporters, `postsPerClient` posts each; throws on any non-200. */
export function postConcurrently(
  url: string,
  body: Uint8Array,
  clients: number,
  postsPerClient: number,
): Promise<AckLatencies> {
  const job: ClientJob = { kind: 'otlp-clients', url, body, clients, postsPerClient };
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (outcome: ClientOutcome) => {
      void worker.terminate();
      if (outcome.type === 'failed') return reject(new Error(outcome.message));
      const latencies = outcome.latencies.sort((a, b) => a - b);
      resolve({ p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) });
    });
  });
}

async function runClients(job: ClientJob): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  const target = new URL(job.url);
  const base = Buffer.from(job.body);
  let posts = 0;
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const body = Buffer.concat([base, unknownVarintField(15, posts++)]);
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      for (let i = 0; i < job.postsPerClient; i++) {
        const started = performance.now();
        const status = await post();
        if (status !== 200) throw new Error(`ingest answered ${status}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  agent.destroy();
  return latencies;
}

if (!isMainThread && (workerData as ClientJob | undefined)?.kind === 'otlp-clients') {
  runClients(workerData as ClientJob).then(
    (latencies) => parentPort?.postMessage({ type: 'done', latencies } satisfies ClientOutcome),
    (error: unknown) =>
      parentPort?.postMessage({ type: 'failed', message: String(error) } satisfies ClientOutcome),
  );
}

/** A protobuf varint field `field` = `value` (wire type 0), appended to a message. */
function unknownVarintField(field: number, value: number): Buffer {
  const bytes = [field << 3];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Successful store inserts (direct and replayed) the collector has timed since it started. */
export async function storeInsertCount(collectorUrl: string): Promise<number> {
  const text = await (await fetch(`${collectorUrl}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('collector_store_insert_duration_seconds_count') && line.includes('"success"'))
      n += Number(line.split(' ').at(-1));
  return n;
}
