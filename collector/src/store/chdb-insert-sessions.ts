// Inserts on the embedded store through chDB sessions of their own. chDB runs one statement at a
// time per session, and an insert into a table with rollup views costs tens of ms of mostly fixed
// work (a part per table and per view), so inserts into different tables — and queries meanwhile —
// would queue behind each other on the one session; sessions on the same data directory run in
// parallel. Each insert also goes as chDB's raw passthrough (the body handed over as bytes, its
// settings in the statement's own SETTINGS clause, so nothing is left set on a session) instead of
// being glued onto the SQL text behind `SET` statements.
import { randomUUID } from 'node:crypto';

/** The part of a chDB `Session` this module uses (chdb 3.4's raw insert). */
export interface ChdbInsertSession {
  insert(params: {
    table: string;
    columns?: string[];
    values: Buffer;
    format: 'JSONEachRow' | 'JSONCompactEachRow';
    settings?: Record<string, string | number | boolean>;
    signal?: AbortSignal;
  }): Promise<{ rowsWritten: number; bytesWritten: number; elapsed: number }>;
  close(): void;
}

/** The part of @clickhouse/client-common's Connection.insert contract this wrapper touches. */
interface InsertParams {
  query: string;
  values: unknown;
  query_id?: string;
  abort_signal?: AbortSignal;
  clickhouse_settings?: Record<string, unknown>;
}
type Insert = (params: InsertParams) => Promise<unknown>;

// What @clickhouse/client sends for an array insert: `INSERT INTO t (a, b) FORMAT F` + the body.
const insertQuery =
  /^INSERT INTO ([A-Za-z_][\w.]*)(?: \(([\w., ]+)\))? FORMAT (JSONEachRow|JSONCompactEachRow)$/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** Settings of the HTTP layer that @clickhouse/client may add and the engine does not know. */
const httpOnly = new Set(['wait_end_of_query', 'enable_http_compression', 'default_format']);

/**
 * Wraps a chDB connection so its inserts run on `sessions` (each one insert at a time, the first
 * idle one taken, else the caller waits its turn); every other call, and any insert this path does
 * not handle (a stream body, another format), goes to the connection unchanged.
 */
export function withInsertSessions<T extends object>(connection: T, sessions: ChdbInsertSession[]): T {
  const idle = [...sessions];
  const waiting: ((session: ChdbInsertSession) => void)[] = [];
  const acquire = () =>
    new Promise<ChdbInsertSession>((resolve) => {
      const session = idle.pop();
      if (session) resolve(session);
      else waiting.push(resolve);
    });
  const release = (session: ChdbInsertSession) => {
    const next = waiting.shift();
    if (next) next(session);
    else idle.push(session);
  };

  const insert =
    (fallback: Insert): Insert =>
    async (params) => {
      const match = insertQuery.exec(params.query);
      const settings = sessionFreeSettings(params.clickhouse_settings);
      // An empty body is the connection's to settle (a no-op there, an error in a raw insert).
      if (!match || typeof params.values !== 'string' || params.values === '' || !settings)
        return fallback(params);
      const [, table = '', columnList, format] = match;
      const columns = columnList?.split(', ');
      if (columns?.some((c) => !identifier.test(c))) return fallback(params);
      const values = Buffer.from(params.values);
      const session = await acquire();
      try {
        const result = await session.insert({
          table,
          ...(columns ? { columns } : {}),
          values,
          format: format as 'JSONEachRow' | 'JSONCompactEachRow',
          settings,
          ...(params.abort_signal ? { signal: params.abort_signal } : {}),
        });
        const written = String(result.rowsWritten);
        return {
          query_id: params.query_id ?? randomUUID(),
          response_headers: {},
          http_status_code: 200,
          summary: {
            read_rows: written,
            read_bytes: String(values.length),
            written_rows: written,
            written_bytes: String(result.bytesWritten),
            result_rows: '0',
            result_bytes: '0',
            total_rows_to_read: '0',
            elapsed_ns: String(Math.round(result.elapsed * 1e9)),
          },
        };
      } finally {
        release(session);
      }
    };

  return new Proxy(connection, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (property === 'insert') return insert(value.bind(target) as Insert);
      return value.bind(target);
    },
  });
}

/** The call's settings as literals for a SETTINGS clause; null when one is not a plain value. */
function sessionFreeSettings(
  settings: Record<string, unknown> | undefined,
): Record<string, string | number | boolean> | null {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(settings ?? {})) {
    if (value === undefined || httpOnly.has(name)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
    if (!identifier.test(name)) return null;
    out[name] = value;
  }
  return out;
}
