// The raw `sql:` rule attack class of the pre-launch probe, against a real chDB store: rules that
// read files or URLs, change settings, smuggle a second statement or SETTINGS inside string
// syntaxes a scanner does not know (heredocs, escapes, comments), read tables with secrets, or
// call functions that reach outside the rule's rows are refused by ClickHouse's own parser before
// anything of them runs — and the shipped rules, CTEs and aggregate combinators still pass.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/load-rules.ts';
import { querySqlRule, SqlRuleError } from '../../src/query/sql-rule.ts';
import { judgeSqlRule } from '../../src/query/sql-rule-judge.ts';
import type { SqlRule } from '../../src/rule-schema.ts';

let dataDir: string;
let store: Store;
let secretFile: string;
const secret = 'session-secret-7f3a9c';
/** Requests the URL receiver saw: a refused rule must not fetch anything. */
let fetched = 0;
const receiver = createServer((_, res) => {
  fetched++;
  res.end('1\n');
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'alert-rules-judge-'));
  secretFile = join(dataDir, 'session-secret');
  writeFileSync(secretFile, secret);
  store = await createStore({ dataDir: join(dataDir, 'chdb') });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  receiver.close();
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const tables = async () => {
  const result = await store.client.query({ query: 'SELECT name FROM system.tables', format: 'JSONEachRow' });
  return (await result.json<{ name: string }>()).map((r) => r.name).sort();
};

async function refusal(sql: string): Promise<string> {
  const verdict = await judgeSqlRule(store.client, sql);
  if (verdict.state !== 'refused') throw new Error(`allowed: ${sql}`);
  return verdict.problems.join('; ');
}

describe('judging raw sql rules with ClickHouse’s parser', () => {
  it('allows the shipped rules, CTEs, joins of allowed tables, combinators and window functions', async () => {
    const shipped = fileURLToPath(new URL('../../rules', import.meta.url));
    const sqlRules = loadRules(shipped).rules.filter((r): r is SqlRule => r.type === 'sql');
    expect(sqlRules.length).toBeGreaterThanOrEqual(3);
    for (const rule of sqlRules)
      expect(await judgeSqlRule(store.client, rule.sql)).toMatchObject({ state: 'allowed' });
    for (const sql of [
      `WITH recent AS (SELECT ServiceName, Duration FROM otel_traces WHERE Timestamp >= {from:DateTime64(3)})
       SELECT ServiceName AS service, quantileIf(0.95)(Duration, Duration > 0) / 1e6 AS value FROM recent GROUP BY service;`,
      'SELECT COUNT(*) AS value FROM default.otel_traces AS t INNER JOIN otel_logs AS l ON t.TraceId = l.TraceId',
      'SELECT sumForEach(BucketCounts) AS b, arraySum(arrayMap(x -> x * 2, b)) AS value FROM otel_metrics_histogram',
      "SELECT row_number() OVER (ORDER BY TimeUnix) AS value FROM otel_metrics_gauge WHERE MetricName IN ('a', 'b')",
      'SELECT 1 AS value WHERE 1 IN (SELECT 1 FROM cp_runs) -- a trailing comment',
      "SELECT $$it's fine$$ AS label, 1 AS value",
    ])
      expect(await judgeSqlRule(store.client, sql), sql).toMatchObject({ state: 'allowed' });
  });

  it('refuses reading files and URLs, as functions or table functions, without fetching anything', async () => {
    expect(await refusal(`SELECT file('${secretFile}') AS value`)).toMatch(/must not call file\(\)/);
    expect(await refusal(`SELECT * FROM file('${secretFile}', 'LineAsString')`)).toMatch(
      /table function file\(\)/,
    );
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/x`;
    expect(await refusal(`SELECT count() AS value FROM url('${url}', 'LineAsString')`)).toMatch(
      /table function url/,
    );
    expect(
      await refusal(`SELECT 1 AS value WHERE 1 IN (SELECT * FROM url('${url}', 'CSV', 'x UInt8'))`),
    ).toMatch(/table function url/);
    for (const fn of ['remote', 's3', 'executable', 'mysql', 'postgresql', 'numbers'])
      expect(await judgeSqlRule(store.client, `SELECT count() AS value FROM ${fn}('x')`)).toMatchObject({
        state: 'refused',
      });
    expect(fetched).toBe(0);
  });

  it('refuses what a scanner missed: heredocs, escapes and comments hiding SETTINGS or a second statement', async () => {
    const before = await tables();
    const smuggled = [
      'SELECT $$x$$ AS value SETTINGS readonly = 0',
      "SELECT 'a\\'; SETTINGS' AS label, 1 AS value SETTINGS readonly = 0",
      'SELECT $$;$$ AS value; CREATE TABLE pwned (a UInt8) ENGINE = Memory',
      'SELECT 1 AS value; CREATE TABLE pwned (a UInt8) ENGINE = Memory',
      'SELECT 1 AS value /* ; */; CREATE TABLE pwned (a UInt8) ENGINE = Memory',
      'SELECT 1 AS value FORMAT JSON',
      "SELECT 1 AS value INTO OUTFILE '/tmp/pwned'",
      'CREATE TABLE pwned (a UInt8) ENGINE = Memory',
      'INSERT INTO cp_silences (Id) VALUES (1)',
      'SYSTEM SHUTDOWN',
    ];
    for (const sql of smuggled)
      expect(await judgeSqlRule(store.client, sql), sql).toMatchObject({ state: 'refused' });
    expect(await refusal('SELECT $$x$$ AS value SETTINGS readonly = 0')).toMatch(/must not set SETTINGS/);
    expect(await refusal('SELECT 1 AS value; CREATE TABLE pwned (a UInt8) ENGINE = Memory')).toMatch(
      /not one valid ClickHouse statement.*Multi-statements/,
    );
    expect(await tables()).toEqual(before);
  });

  it('refuses tables with secrets or outside the store, however they are named or reached', async () => {
    expect(await refusal('SELECT count() AS value FROM cp_audit_log')).toMatch(
      /must not read the table cp_audit_log/,
    );
    // Load runs' request samples are readable (LoadRunLatencyThresholdFailing); sessions are not.
    expect(
      await judgeSqlRule(
        store.client,
        'SELECT RunId AS run_id, count() AS value FROM cp_run_samples GROUP BY RunId',
      ),
    ).toMatchObject({ state: 'allowed' });
    expect(await refusal('SELECT count() AS value FROM cp_sessions')).toMatch(
      /must not read the table cp_sessions/,
    );
    expect(
      await refusal('SELECT count() AS value FROM cp_run_samples WHERE RunId IN (SELECT Id FROM cp_users)'),
    ).toMatch(/must not read the table cp_users/);
    // The dashboard's users (scrypt hashes) made in the UI.
    expect(await refusal('SELECT Name, PasswordHash AS value FROM cp_users')).toMatch(
      /must not read the table cp_users/,
    );
    expect(await refusal('SELECT count() AS value FROM system.users')).toMatch(/system\.users/);
    expect(await refusal('SELECT 1 AS value WHERE 1 IN system.users')).toMatch(/system\.users/);
    expect(await refusal('SELECT 1 AS value WHERE 1 IN (SELECT 1 FROM system.tables)')).toMatch(
      /system\.tables/,
    );
    expect(await refusal('SELECT (SELECT count() FROM cp_schema_migrations) AS value')).toMatch(
      /cp_schema_migrations/,
    );
    // A WITH name equal to a real table, visible in one scope only: the outer name is the table.
    expect(
      await refusal(
        'SELECT count() AS value FROM (WITH cp_audit_log AS (SELECT 1) SELECT 1) AS a, cp_audit_log',
      ),
    ).toMatch(/cp_audit_log/);
  });

  it('refuses functions that reach outside the rule’s rows: settings, dictionaries, the host, sleeping', async () => {
    const cases: [string, string][] = [
      ["SELECT getSetting('readonly') AS value", 'getSetting'],
      ["SELECT dictGet('d', 'a', 1) AS value", 'dictGet'],
      ['SELECT length(currentUser()) AS value', 'currentUser'],
      ['SELECT length(hostName()) AS value', 'hostName'],
      ['SELECT sleep(3) AS value', 'sleep'],
      ["SELECT joinGet('t', 'a', 1) AS value", 'joinGet'],
      ['SELECT 1 AS value WHERE 1 GLOBAL IN (SELECT 1)', 'globalIn'],
      ["SELECT arrayReduce('sum', [1]) AS value", 'arrayReduce'],
      ["SELECT length(formatRow('CSV', 1)) AS value", 'formatRow'],
    ];
    for (const [sql, fn] of cases)
      expect(await refusal(sql), sql).toMatch(new RegExp(`must not call ${fn}\\(\\)`));
  });

  it('never runs a refused rule: evaluation fails with the reasons and the store is unchanged', async () => {
    const rule = (sql: string): SqlRule => ({
      type: 'sql',
      alert: 'Attack',
      group: 'g',
      file: 'attack.yaml',
      line: 1,
      sql,
      timeoutMs: 1_000,
      intervalMs: 10_000,
      windowMs: 60_000,
      op: '>',
      threshold: 0,
      forMs: 0,
      keepFiringForMs: 0,
      noData: 'nodata',
      onError: 'error',
      labels: {},
      annotations: {},
    });
    const before = await tables();
    const leak = rule(`SELECT file('${secretFile}') AS label, 1 AS value`);
    await expect(querySqlRule(store.client, leak, Date.now())).rejects.toThrow(SqlRuleError);
    await expect(querySqlRule(store.client, leak, Date.now())).rejects.toThrow(/must not call file\(\)/);
    await expect(
      querySqlRule(
        store.client,
        rule('SELECT $$;$$ AS value; CREATE TABLE pwned (a UInt8) ENGINE = Memory'),
        Date.now(),
      ),
    ).rejects.toThrow(/Multi-statements/);
    expect(await tables()).toEqual(before);
    // What runs is ClickHouse's canonical text, read-only and bounded in rows.
    const rows = await querySqlRule(store.client, rule("SELECT 'a' AS label, 2 AS value"), Date.now());
    expect(rows).toEqual([{ labels: { label: 'a' }, value: 2 }]);
    expect(readdirSync(dataDir)).not.toContain('pwned');
  });
});
