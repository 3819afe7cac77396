// How the dashboard's score and traffic readers reach the store: the collector's batch queries
// (collector/query), sent one by one, or gathered so that every histogram batch (and every
// gauge/sum batch) asked for while a snapshot's readers start — the same turn of the event loop —
// goes to the store as one query. The embedded store runs one query at a time, and each query may
// wait behind another reader's (the alert engine's), so their number is the cost.
import type { Store } from 'collector';
import {
  type BatchRequest,
  type HistogramBucketRow,
  queryHistogramBatch,
  queryHistogramBatches,
  queryValueBatch,
  queryValueBatches,
  type ValueBatchRequest,
} from 'collector/query';

type StoreClient = Store['client'];
type ValueRows = Map<number, Record<string, unknown>>[];

export interface BatchReads {
  /** Each selector's histogram rows (ordered by step), by selector index: queryHistogramBatch. */
  histograms(request: BatchRequest): Promise<HistogramBucketRow[][]>;
  /** Each selector's gauge/sum aggregates keyed by step start, by selector index: queryValueBatch. */
  values(request: ValueBatchRequest): Promise<ValueRows>;
}

/** Every request is its own store query. */
export function directBatchReads(client: StoreClient): BatchReads {
  return {
    histograms: (r) => queryHistogramBatch(client, r.selectors, r.window, r.stepSeconds),
    values: (r) => queryValueBatch(client, r.selectors, r.window, r.stepSeconds),
  };
}

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

/** Requests of one kind issued in the same turn are sent as one query (one reader per snapshot). */
export function coalescedBatchReads(client: StoreClient): BatchReads {
  return {
    histograms: coalescer<BatchRequest, HistogramBucketRow[][]>((requests) =>
      queryHistogramBatches(client, requests),
    ),
    values: coalescer<ValueBatchRequest, ValueRows>((requests) => queryValueBatches(client, requests)),
  };
}
