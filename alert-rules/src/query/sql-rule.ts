// Runs a raw `sql:` rule: the rule's SELECT as a subquery of one that sets readonly = 1 and
// max_execution_time, with the window's bounds as query parameters. Settings go in the query's
// own SETTINGS clause, not in clickhouse_settings: the chDB connection turns those into session
// `SET`s that would stay on for every later query of the process (seen with chdb 3.4).
import type { Store } from 'collector';
import type { SqlRule } from '../rule-schema.ts';
import { sqlRuleProblems, trimStatement } from './sql-rule-check.ts';

type Client = Store['client'];

export interface SqlRuleRow {
  /** Every column but `value`, as strings. */
  labels: Record<string, string>;
  value: number | null;
}

export class SqlRuleError extends Error {
  override name = 'SqlRuleError';
}

const toDateTime64 = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export async function querySqlRule(client: Client, rule: SqlRule, now: number): Promise<SqlRuleRow[]> {
  const problems = sqlRuleProblems(rule.sql);
  if (problems.length > 0) throw new SqlRuleError(problems.join('; '));
  const seconds = Math.max(0.001, rule.timeoutMs / 1000);
  const result = await client.query({
    // The newlines keep a trailing `-- comment` in the rule from swallowing the closing bracket.
    query: `SELECT * FROM (\n${trimStatement(rule.sql)}\n) SETTINGS readonly = 1, max_execution_time = ${seconds}`,
    query_params: { from: toDateTime64(now - rule.windowMs), to: toDateTime64(now) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
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
