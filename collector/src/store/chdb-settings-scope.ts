// Scopes per-call ClickHouse settings to their call on the embedded store. chDB's connection (chdb
// 3.4) turns `clickhouse_settings` into session-wide `SET` statements that stay on for every later
// query in the process: an `insert_deduplication_token` given to one insert made the next,
// token-less inserts into a table with a deduplication window vanish as "duplicates". Over HTTP each
// request has its own settings, so only the embedded mode needs this.

/** The part of @clickhouse/client-common's Connection contract this wrapper touches. */
type CallParams = { query: string; clickhouse_settings?: Record<string, unknown> | undefined };
type Call = (params: CallParams) => Promise<unknown>;

const scopedCalls = new Set(['query', 'exec', 'command', 'insert']);
/** Settings the connection consumes itself (never SET on the engine), so they cannot leak. */
const notSessionSettings = new Set(['default_format', 'wait_end_of_query', 'enable_http_compression']);
const settingName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Wraps a chDB connection so each call first returns every setting an earlier call changed to its
 * default (`SET name = DEFAULT`, in the same statement batch). Calls run one at a time, so the
 * settings a call sees are exactly its own. A setting once changed is reset on every later call,
 * because the connection may skip a call entirely (an insert of an empty body) and so its resets.
 */
export function scopeChdbSettings<T extends object>(connection: T): T {
  const changed = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  const scoped =
    (call: Call): Call =>
    (params) => {
      const run = async () => {
        const own = Object.keys(params.clickhouse_settings ?? {}).filter(
          (name) => params.clickhouse_settings?.[name] !== undefined && !notSessionSettings.has(name),
        );
        const resets = [...changed].filter((name) => !own.includes(name));
        const query = resets.length
          ? `${resets.map((name) => `SET ${name} = DEFAULT`).join('; ')}; ${params.query}`
          : params.query;
        for (const name of own) if (settingName.test(name)) changed.add(name);
        return call({ ...params, query });
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    };

  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && scopedCalls.has(property))
        return scoped(value.bind(target) as Call);
      return value.bind(target);
    },
  });
}
