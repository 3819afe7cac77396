// Password hashing (scrypt: ~0.3 s and 128 MiB each) runs one at a time behind a short queue, so a
// flood of sign-ins cannot fill libuv's thread pool or memory and starve ingest or the UI; beyond the
// queue, sign-ins are refused at once with a Retry-After instead of waiting.

export interface HashQueueOptions {
  /** Hashes running at once (libuv's pool has 4 threads, shared with file and zlib work). */
  concurrency: number;
  /** Hashes allowed to wait; more are refused. */
  maxWaiting: number;
}

export type Queued<T> = { type: 'done'; value: T } | { type: 'busy'; retryAfterSeconds: number };

export interface HashQueue {
  run<T>(work: () => Promise<T>): Promise<Queued<T>>;
  /** Seconds to wait when a run now would be refused, else null. */
  busyFor(): number | null;
}

export function createHashQueue(options: HashQueueOptions = { concurrency: 1, maxWaiting: 4 }): HashQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A running estimate of one hash's time, for Retry-After.
  let averageMs = 400;

  function busyFor(): number | null {
    if (running < options.concurrency || waiting.length < options.maxWaiting) return null;
    const aheadMs = ((waiting.length + running) * averageMs) / options.concurrency;
    return Math.max(1, Math.ceil(aheadMs / 1000));
  }

  return {
    busyFor,
    async run(work) {
      if (running >= options.concurrency) {
        const retryAfterSeconds = busyFor();
        if (retryAfterSeconds !== null) return { type: 'busy', retryAfterSeconds };
        // The finishing hash hands its slot straight to the next in line.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      const started = performance.now();
      try {
        return { type: 'done', value: await work() };
      } finally {
        averageMs = averageMs * 0.8 + (performance.now() - started) * 0.2;
        const handOver = waiting.shift();
        if (handOver) handOver();
        else running--;
      }
    },
  };
}
