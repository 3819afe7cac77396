// Async iterables behind the tRPC subscriptions: a snapshot read on an interval, and a callback
// subscription turned into a stream. Both end when the client goes away (the signal aborts).

/** Resolves after `ms`, or early (false) when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Yields `read()` now and then every `intervalMs` (measured from the end of the previous read). */
export async function* polled<T>(
  read: () => Promise<T>,
  intervalMs: number,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  while (!signal?.aborted) {
    yield await read();
    if (!(await pause(intervalMs, signal))) return;
  }
}

/**
 * Turns a listener-style subscription into an async stream. It subscribes at once (so a snapshot
 * taken right after misses nothing); events that arrive while the consumer is busy are queued
 * (up to `maxQueued`, oldest dropped). Unsubscribes when the signal aborts or iteration ends.
 */
export function streamOf<T>(
  subscribe: (listener: (event: T) => void) => () => void,
  signal?: AbortSignal,
  maxQueued = 1000,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((event) => {
    queue.push(event);
    if (queue.length > maxQueued) queue.shift();
    wake?.();
  });
  const onAbort = () => {
    unsubscribe();
    wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  async function* drain(): AsyncGenerator<T> {
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }
  return drain();
}
