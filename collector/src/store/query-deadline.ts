// Every read and command on the store has a time bound: a query that never returns (a server that
// stopped answering, a statement stuck in the engine) fails the caller after `timeoutMs` instead of
// hanging a page, the alert loop, the launcher or shutdown. The request is aborted (a ClickHouse
// server cancels the query); an embedded engine may still finish it in the background. Inserts are
// not wrapped: the collector bounds its own (write/insert.ts).
import type { ClickHouseClient } from '@clickhouse/client';

export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

/** The default bound of one store query or command. */
export const DEFAULT_STORE_QUERY_TIMEOUT_MS = 60_000;

type Bounded = 'query' | 'command' | 'exec';

export function withQueryDeadline(client: ClickHouseClient, timeoutMs: number): ClickHouseClient {
  if (!(timeoutMs > 0)) return client;
  const bounded = <K extends Bounded>(method: K) =>
    (async (params: Parameters<ClickHouseClient[K]>[0]) => {
      const abort = new AbortController();
      const outer = (params as { abort_signal?: AbortSignal }).abort_signal;
      if (outer) {
        if (outer.aborted) abort.abort(outer.reason);
        else outer.addEventListener('abort', () => abort.abort(outer.reason), { once: true });
      }
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          const text = (params as { query?: string }).query ?? '';
          reject(new StoreTimeoutError(`store ${method} took over ${timeoutMs} ms: ${text.slice(0, 120)}`));
        }, timeoutMs);
        timer.unref();
      });
      const call = (client[method] as (p: unknown) => Promise<unknown>).call(client, {
        ...params,
        abort_signal: abort.signal,
      });
      call.catch(() => {}); // after the deadline, its late failure is nobody's business
      try {
        return await Promise.race([call, deadline]);
      } finally {
        clearTimeout(timer);
      }
    }) as ClickHouseClient[K];
  const wrapped = { query: bounded('query'), command: bounded('command'), exec: bounded('exec') };
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'query' || key === 'command' || key === 'exec') return wrapped[key];
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
