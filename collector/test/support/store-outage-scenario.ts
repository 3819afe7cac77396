// A store outage under steady ingest, for the durability test (a short outage, in CI) and its
// benchmark (the full 60 s): the store refuses writes, then is slow, then times out, then lands
// writes but loses the acknowledgement, each for a quarter of the outage; afterwards the queue
// drains and every acknowledged point is looked up in the store.
import { type CollectorServer, type CollectorStats, type Store, startCollector } from '../../src/index.ts';
import { type Fault, faultyStore } from './faulty-store.ts';
import { steadyIngest } from './steady-ingest.ts';

export const OUTAGE_FAULTS: readonly Fault[] = [
  { type: 'refuse' },
  { type: 'slow', delayMs: 800 },
  { type: 'timeout', afterMs: 500 },
  { type: 'lost-ack', afterMs: 100 },
];

export interface OutageResult {
  outageMs: number;
  /** Points the collector acknowledged with 200. */
  acked: number;
  /** Acknowledged points not in the store, and points stored more than once (both must be empty). */
  missing: string[];
  doubled: [string, number][];
  /** The collector's /ready said the store was failing at some point of the outage. */
  sawFailing: boolean;
  backlogBatches: number;
  drainMs: number;
  stats: CollectorStats;
  /** The collector's /metrics text after the drain. */
  metrics: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(100);
  }
}

/** Runs the outage against `store` (points under service `service`); the collector is closed after. */
export async function runStoreOutage(options: {
  store: Store;
  queueDir: string;
  outageMs: number;
  service?: string;
  log?: (line: string) => void;
}): Promise<OutageResult> {
  const { store, outageMs } = options;
  const service = options.service ?? 'outage';
  const faulty = faultyStore(store);
  const collector: CollectorServer = await startCollector({
    store: faulty.store,
    port: 0,
    queueDir: options.queueDir,
    batch: { maxDelayMs: 20, insertTimeoutMs: 300 },
    queue: { replayBackoffMs: { minMs: 50, maxMs: 400 } },
  });
  try {
    const url = `http://127.0.0.1:${collector.port}`;
    const ingest = steadyIngest({ url: () => url, service, clients: 4, pauseMs: 10 });
    await sleep(500);
    let sawFailing = false;
    for (const fault of OUTAGE_FAULTS) {
      faulty.fault = fault;
      options.log?.(`store fault: ${fault.type} for ${outageMs / OUTAGE_FAULTS.length} ms`);
      // Look at /ready through the phase, not only at its end.
      const phaseEnd = Date.now() + outageMs / OUTAGE_FAULTS.length;
      while (Date.now() < phaseEnd) {
        await sleep(Math.min(1000, Math.max(0, phaseEnd - Date.now())));
        const ready = (await (await fetch(`${url}/ready`)).json()) as { store: { state: string } };
        if (ready.store.state === 'failing') sawFailing = true;
      }
    }
    faulty.fault = { type: 'none' };
    await sleep(500);
    await ingest.stop();
    const drainStart = Date.now();
    const backlogBatches = collector.stats().queueBatches;
    await until(() => collector.stats().queueBatches === 0, 60_000 + outageMs);
    const drainMs = Date.now() - drainStart;

    const result = await store.client.query({
      query: `SELECT Attributes['seq'] AS seq, count() AS n FROM otel_metrics_gauge
        WHERE ServiceName = {service:String} GROUP BY seq`,
      query_params: { service },
      format: 'JSONEachRow',
    });
    const stored = new Map(
      (await result.json<{ seq: string; n: string }>()).map((r) => [r.seq, Number(r.n)]),
    );
    return {
      outageMs,
      acked: ingest.acked.size,
      missing: [...ingest.acked].filter((seq) => !stored.has(seq)),
      doubled: [...stored].filter(([, n]) => n > 1),
      sawFailing,
      backlogBatches,
      drainMs,
      stats: collector.stats(),
      metrics: await (await fetch(`${url}/metrics`)).text(),
    };
  } finally {
    await collector.close();
  }
}
