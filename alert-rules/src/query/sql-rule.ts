// Runs a raw `sql:` rule: ClickHouse's canonical text of the judged rule (sql-rule-judge.ts) as a
// subquery of one that sets readonly = 1 and bounds time, memory and result size, with the window's
// bounds as query parameters. Settings go in the query's own SETTINGS clause, not in
// clickhouse_settings: the chDB connection turns those into session `SET`s that would stay on for
// every later query of the process (seen with chdb 3.4). A rule is judged once per client and text.
import type { Store } from 'collector';
import type { SqlRule } from '../rule-schema.ts';
import { judgeSqlRule, type SqlRuleVerdict } from './sql-rule-judge.ts';

type Client = Store['client'];

export interface SqlRuleRow {
  /** Every column but `value`, as strings. */
  labels: Record<string, string>;
  value: number | null;
}

export class SqlRuleError extends Error {
  override name = 'SqlRuleError';
}

/** The most a rule may take, whatever its `timeout` says: no rule holds the store for long. */
export const SQL_RULE_MAX_TIMEOUT_MS = 10_000;
/** Memory one evaluation may use, and the rows it may return (one alert instance per row). */
const MAX_MEMORY_BYTES = 512 * 1024 * 1024;
const MAX_RESULT_ROWS = 1_000;
/** How long the caller waits beyond the store's own time limit before giving up on the answer. */
const DEADLINE_GRACE_MS = 2_000;

const verdicts = new WeakMap<Client, Map<string, Promise<SqlRuleVerdict>>>();

/** ClickHouse's verdict on the rule, asked once per client and SQL text. */
export function sqlRuleVerdict(client: Client, sql: string): Promise<SqlRuleVerdict> {
  const byText = verdicts.get(client) ?? new Map<string, Promise<SqlRuleVerdict>>();
  verdicts.set(client, byText);
  let verdict = byText.get(sql);
  if (!verdict) {
    verdict = judgeSqlRule(client, sql);
    byText.set(sql, verdict);
    // A store error while judging is not a verdict: ask again next time.
    verdict.catch(() => byText.delete(sql));
  }
  return verdict;
}

const toDateTime64 = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The promise, or a SqlRuleError once `ms` have passed (the query itself is bounded by the store). */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SqlRuleError(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export async function querySqlRule(client: Client, rule: SqlRule, now: number): Promise<SqlRuleRow[]> {
  const timeoutMs = Math.min(Math.max(1, rule.timeoutMs), SQL_RULE_MAX_TIMEOUT_MS);
  const verdict = await withDeadline(
    sqlRuleVerdict(client, rule.sql),
    timeoutMs + DEADLINE_GRACE_MS,
    'judging',
  );
  if (verdict.state === 'refused') throw new SqlRuleError(verdict.problems.join('; '));
  const abort = new AbortController();
  const settings = [
    'readonly = 1',
    `max_execution_time = ${timeoutMs / 1000}`,
    "timeout_overflow_mode = 'throw'",
    `max_memory_usage = ${MAX_MEMORY_BYTES}`,
    `max_result_rows = ${MAX_RESULT_ROWS}`,
    "result_overflow_mode = 'throw'",
  ].join(', ');
  const run = client
    .query({
      query: `SELECT * FROM (${verdict.query}) SETTINGS ${settings}`,
      query_params: { from: toDateTime64(now - rule.windowMs), to: toDateTime64(now) },
      format: 'JSONEachRow',
      abort_signal: abort.signal,
    })
    .then((result) => result.json<Record<string, unknown>>());
  const rows = await withDeadline(run, timeoutMs + DEADLINE_GRACE_MS, 'the query').catch((error: unknown) => {
    abort.abort();
    throw error;
  });
  return rows.map((row, i) => {
    if (!('value' in row)) throw new SqlRuleError('the query returns no `value` column');
    const { value, ...rest } = row;
    const number = value === null ? null : Number(value);
    if (number !== null && Number.isNaN(number))
      throw new SqlRuleError(`row ${i + 1}: value ${JSON.stringify(value)} is not a number`);
    const labels = Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [
        k.replace(/[^A-Za-z0-9_]/g, '_'),
        v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
      ]),
    );
    return { labels, value: number };
  });
}
