// Steady OTLP/HTTP ingest for durability tests and benchmarks: clients post gauge points, each with
// a unique `seq` attribute, and remember which ones were acknowledged (200). 429/503 are retried
// after Retry-After like an OTLP exporter would; a refused connection (collector gone) is not acked.

export interface SteadyIngest {
  /** seq values of every acknowledged point. */
  acked: Set<string>;
  requests: number;
  statuses: Record<number, number>;
  ackLatenciesMs: number[];
  stop(): Promise<void>;
}

export interface SteadyIngestOptions {
  url: () => string;
  service: string;
  clients?: number;
  pointsPerRequest?: number;
  /** Pause between one client's requests. */
  pauseMs?: number;
  maxRetryWaitMs?: number;
  /** Prefix of the seq values, to tell apart runs against the same store. */
  idPrefix?: string;
}

function payload(service: string, seqs: string[]) {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            scope: { name: 'steady-ingest' },
            metrics: [
              {
                name: 'durability.probe',
                gauge: {
                  dataPoints: seqs.map((seq, i) => ({
                    timeUnixNano: now,
                    asDouble: i,
                    attributes: [{ key: 'seq', value: { stringValue: seq } }],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function steadyIngest(options: SteadyIngestOptions): SteadyIngest {
  const state = { stopped: false };
  const result: Omit<SteadyIngest, 'stop'> = {
    acked: new Set(),
    requests: 0,
    statuses: {},
    ackLatenciesMs: [],
  };
  const perRequest = options.pointsPerRequest ?? 5;
  async function client(id: number) {
    for (let i = 0; !state.stopped; i++) {
      const seqs = Array.from({ length: perRequest }, (_, j) => `${options.idPrefix ?? ''}${id}-${i}-${j}`);
      const body = payload(options.service, seqs);
      for (;;) {
        const started = performance.now();
        let status = 0;
        let retryAfter = 1;
        try {
          const res = await fetch(`${options.url()}/v1/metrics`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          });
          status = res.status;
          retryAfter = Number(res.headers.get('retry-after') ?? 1);
          await res.arrayBuffer();
        } catch {
          status = 0; // connection refused or reset: not acknowledged
        }
        result.requests++;
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status === 200) {
          result.ackLatenciesMs.push(performance.now() - started);
          for (const seq of seqs) result.acked.add(seq);
          break;
        }
        if (state.stopped) return;
        await sleep(status === 0 ? 50 : Math.min(retryAfter * 1000, options.maxRetryWaitMs ?? 200));
        if (status === 0) break; // the collector is gone; this batch was never acknowledged
      }
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  }
  const running = Promise.all(Array.from({ length: options.clients ?? 4 }, (_, id) => client(id)));
  return {
    ...result,
    get requests() {
      return result.requests;
    },
    async stop() {
      state.stopped = true;
      await running;
    },
  };
}
