// A snapshot's batch reads gathered into as few store queries as possible: every histogram batch
// (and every gauge/sum batch) asked for while the snapshot's readers start — the same turn of the
// event loop — goes to the store as one query. The embedded store runs one query at a time, and
// each query may wait behind another reader's (the alert engine's), so their number is the cost.
import type { BatchRequest, HistogramBucketRow, ValueBatchRequest } from 'collector';
import type { Services } from './services.ts';

type Pending<R, T> = { request: R; resolve: (value: T) => void; reject: (error: unknown) => void }[];

function coalescer<R, T>(run: (requests: R[]) => Promise<T[]>): (request: R) => Promise<T> {
  let pending: Pending<R, T> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    run(batch.map((p) => p.request)).then(
      (results) => {
        for (const [i, p] of batch.entries()) p.resolve(results[i] as T);
      },
      (error) => {
        for (const p of batch) p.reject(error);
      },
    );
  };
  return (request) =>
    new Promise<T>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ request, resolve, reject });
    });
}

/** `services` whose batch queries issued in the same turn are sent as one query per kind. */
export function withCoalescedBatches(services: Services): Services {
  const { queries } = services;
  const client = services.store.client;
  const histogram = coalescer<BatchRequest, HistogramBucketRow[][]>((requests) =>
    queries.queryHistogramBatches(client, requests),
  );
  const values = coalescer<ValueBatchRequest, Map<number, Record<string, unknown>>[]>((requests) =>
    queries.queryValueBatches(client, requests),
  );
  return {
    ...services,
    queries: {
      ...queries,
      queryHistogramBatch: (_client, selectors, window, stepSeconds) =>
        histogram({ selectors, window, stepSeconds }),
      queryValueBatch: (_client, selectors, window, stepSeconds) =>
        values({ selectors, window, stepSeconds }),
    },
  };
}
