// Judges a raw `sql:` rule with ClickHouse's own parser, in the store the rule will run in: the
// text must be exactly one SELECT (ClickHouse formats it — a rule text that is not one statement
// fails there, before anything runs), whose syntax tree holds only query clauses, functions from
// the allowlist (sql-rule-functions.ts), no table functions, SETTINGS, FORMAT or INTO OUTFILE, and
// reads only the tables rules may read. The analyser's resolved tree is then checked once more for
// the tables it really reads. What runs afterwards is ClickHouse's canonical text of the rule.
import type { Store } from 'collector';
import { ruleAggregateFunctions, ruleCaseInsensitiveFunctions, ruleFunctions } from './sql-rule-functions.ts';

type Client = Store['client'];

/** Telemetry and the control-plane tables that hold no secrets (no sessions, users, tokens or audit log). */
export const ruleReadableTables: ReadonlySet<string> = new Set([
  'otel_metrics_gauge',
  'otel_metrics_sum',
  'otel_metrics_histogram',
  'otel_metrics_exponential_histogram',
  'otel_metrics_summary',
  'otel_metrics_histogram_10s',
  'otel_metrics_histogram_1m',
  'otel_metrics_sum_10s',
  'otel_metrics_sum_1m',
  'otel_traces',
  'otel_traces_trace_id_ts',
  'otel_logs',
  'cp_runs',
  // Every request duration of a load run (LoadRunLatencyThresholdFailing's source): no secrets.
  'cp_run_samples',
  'cp_run_baselines',
  'cp_alert_events',
  'cp_alert_acks',
  'cp_notifications',
  'cp_silences',
]);

/** The query parameters a SQL rule receives: the window's bounds. */
export const sqlRuleParams = { from: 'DateTime64(3)', to: 'DateTime64(3)' } as const;

export type SqlRuleVerdict = { state: 'allowed'; query: string } | { state: 'refused'; problems: string[] };

/** Syntax-tree node kinds of a plain SELECT; anything else (`Set`, `Dictionary`, …) is refused. */
const queryNodes = new Set([
  'SelectWithUnionQuery',
  'SelectIntersectExceptQuery',
  'SelectQuery',
  'ExpressionList',
  'Function',
  'Identifier',
  'Literal',
  'Asterisk',
  'QualifiedAsterisk',
  'ColumnsListMatcher',
  'ColumnsRegexpMatcher',
  'QualifiedColumnsListMatcher',
  'QualifiedColumnsRegexpMatcher',
  'ColumnsTransformerList',
  'ColumnsExceptTransformer',
  'ColumnsReplaceTransformer',
  'TablesInSelectQuery',
  'TablesInSelectQueryElement',
  'TableExpression',
  'TableIdentifier',
  'TableJoin',
  'ArrayJoin',
  'Subquery',
  'WithElement',
  'WindowDefinition',
  'WindowListElement',
  'OrderByElement',
  'InterpolateElement',
  'QueryParameter',
  'SampleRatio',
]);

/** Aggregate-function combinators (system.aggregate_function_combinators), longest first. */
const combinators = [
  'SimpleState',
  'OrDefault',
  'Distinct',
  'Resample',
  'ForEach',
  'ArgMax',
  'ArgMin',
  'OrNull',
  'Merge',
  'State',
  'Array',
  'Tuple',
  'Null',
  'Map',
  'If',
];

/** IN-like operators whose right side, when a bare name, is read as a table. */
const inOperators = /^(not)?(null)?in(ignoreset)?$/i;

function allowedFunction(name: string): boolean {
  if (name === 'lambda' || ruleFunctions.has(name)) return true;
  if (ruleCaseInsensitiveFunctions.has(name.toLowerCase())) return true;
  // sumIf, quantilesForEach, countDistinctIf, uniqStateMerge … down to an allowed aggregate.
  let base = name;
  for (let stripped = true; stripped; ) {
    stripped = false;
    if (ruleAggregateFunctions.has(base) || ruleCaseInsensitiveFunctions.has(base.toLowerCase())) return true;
    for (const c of combinators) {
      if (base.length > c.length && base.endsWith(c)) {
        base = base.slice(0, -c.length);
        stripped = true;
        break;
      }
    }
  }
  return false;
}

interface AstNode {
  kind: string;
  /** The word after the kind: a function's or identifier's name. */
  name: string;
  children: AstNode[];
  parent: AstNode | null;
}

/** EXPLAIN AST's indented lines as a tree; null when a line is not shaped as expected. */
function astTree(lines: string[]): AstNode | null {
  const stack: { depth: number; node: AstNode }[] = [];
  let root: AstNode | null = null;
  for (const line of lines) {
    const m = /^( *)([A-Za-z_]+)(?: (.*))?$/.exec(line);
    if (!m) return null;
    const depth = m[1]!.length;
    const rest = m[3] ?? '';
    // `Function name (alias a) (children 2)`; a backquoted or spaced name stops at " (alias"/" (children".
    const name = rest.replace(/ \((alias .*|children \d+)\)$/, '');
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    const parent = stack.at(-1)?.node ?? null;
    if (!parent && root) return null; // a second root: more than one statement
    if (parent && depth !== stack.at(-1)!.depth + 1) return null;
    const node: AstNode = { kind: m[2]!, name, children: [], parent };
    if (parent) parent.children.push(node);
    else root = node;
    stack.push({ depth, node });
  }
  return root;
}

function* walk(node: AstNode): Generator<AstNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

/** The tables a name may denote: `t` or `db.t` in the store's own database. */
function tableName(name: string, database: string): string | null {
  const parts = name.split('.');
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2 && parts[0] === database) return parts[1]!;
  return null;
}

function astProblems(root: AstNode, database: string, cteNames: Set<string>, tables: Set<string>): string[] {
  const problems = new Set<string>();
  if (root.kind !== 'SelectWithUnionQuery' || root.children.length !== 1)
    problems.add('must be one SELECT query, without FORMAT, INTO OUTFILE or SETTINGS');
  const readable = (name: string) => {
    const table = tableName(name, database);
    if (table === null) return false;
    if (ruleReadableTables.has(table)) return true;
    // A WITH name is a table only while no table of the store has that name (scopes are not tracked).
    return !name.includes('.') && cteNames.has(table) && !tables.has(table);
  };
  for (const node of walk(root)) {
    if (!queryNodes.has(node.kind)) {
      problems.add(
        node.kind === 'Set'
          ? 'must not set SETTINGS (the engine runs it read-only and time-bounded)'
          : `must not use ${node.kind} (only SELECT clauses are allowed)`,
      );
      continue;
    }
    if (node.kind === 'Function') {
      if (node.parent?.kind === 'TableExpression')
        problems.add(`must not read through the table function ${node.name}() (only tables)`);
      else if (!allowedFunction(node.name))
        problems.add(`must not call ${node.name}() (not on the rule function list)`);
      if (inOperators.test(node.name)) {
        const right = node.children[0]?.children[1];
        if (right?.kind === 'Identifier' && !readable(right.name))
          problems.add(`must not read the table ${right.name} (rules read telemetry and alert tables only)`);
      }
    }
    if (node.kind === 'TableIdentifier' && node.name !== 'system.one' && !readable(node.name))
      problems.add(`must not read the table ${node.name} (rules read telemetry and alert tables only)`);
  }
  return [...problems];
}

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 400);

async function explainLines(client: Client, kind: string, query: string, window: Record<string, string>) {
  const result = await client.query({
    query: `SELECT explain FROM (EXPLAIN ${kind} ${query})`,
    query_params: window,
    format: 'JSONEachRow',
  });
  return (await result.json<{ explain: string }>()).map((r) => r.explain);
}

/** Trailing semicolons and whitespace removed. */
const trimStatement = (sql: string) => sql.replace(/[\s;]+$/, '');

/**
 * ClickHouse's verdict on a rule's SQL; nothing of the rule runs before the syntax checks pass
 * (the analyser, which may fold constants, only sees allowed functions and tables).
 */
export async function judgeSqlRule(client: Client, sql: string): Promise<SqlRuleVerdict> {
  const refused = (problems: string[]): SqlRuleVerdict => ({ state: 'refused', problems });
  // 1. One statement, as ClickHouse reads it: the text goes in as a value, never as SQL.
  let query: string;
  let database: string;
  try {
    const result = await client.query({
      query: 'SELECT formatQuerySingleLine({sql:String}) AS query, currentDatabase() AS database',
      query_params: { sql: trimStatement(sql) },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ query: string; database: string }>();
    if (!row) return refused(['ClickHouse returned no parse']);
    query = row.query;
    database = row.database;
  } catch (error) {
    return refused([`is not one valid ClickHouse statement: ${message(error)}`]);
  }
  if (!/^(SELECT|WITH)\b/i.test(query)) return refused(['must be a SELECT (or WITH … SELECT) query']);
  const window = { from: '2000-01-01 00:00:00.000', to: '2000-01-01 00:00:01.000' };
  const names = await client.query({
    query: 'SELECT name FROM system.tables WHERE database = currentDatabase()',
    format: 'JSONEachRow',
  });
  const tables = new Set((await names.json<{ name: string }>()).map((r) => r.name));
  // 2. The syntax tree, and the WITH names from the unresolved query tree (nothing evaluated yet).
  let root: AstNode | null;
  const cteNames = new Set<string>();
  try {
    root = astTree(await explainLines(client, 'AST', query, window));
    for (const line of await explainLines(client, 'QUERY TREE run_passes = 0', query, window)) {
      const cte = /, cte_name: (.*)$/.exec(line)?.[1];
      if (cte !== undefined) cteNames.add(cte);
    }
  } catch (error) {
    return refused([message(error)]);
  }
  if (!root) return refused(['ClickHouse read it as something other than one query']);
  const problems = astProblems(root, database, cteNames, tables);
  if (problems.length > 0) return refused(problems);
  // 3. The analysed tree: the tables it really reads, after WITH names and aliases are resolved.
  try {
    for (const line of await explainLines(client, 'QUERY TREE', query, window)) {
      const fn = /^ *TABLE_FUNCTION id: \d+, table_function_name: (\S+)/.exec(line)?.[1];
      if (fn) problems.push(`must not read through the table function ${fn}()`);
      const table = /^ *TABLE id: \d+, (?:alias: \S+, )?table_name: (\S+)/.exec(line)?.[1];
      if (table && table !== 'system.one' && !ruleReadableTables.has(tableName(table, database) ?? ''))
        problems.push(`must not read the table ${table} (rules read telemetry and alert tables only)`);
    }
  } catch (error) {
    return refused([message(error)]);
  }
  return problems.length > 0 ? refused([...new Set(problems)]) : { state: 'allowed', query };
}
