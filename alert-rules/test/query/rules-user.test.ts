// The ClickHouse server user that raw `sql:` rules run as (docker-compose) is granted exactly the
// tables the judge lets rules read: adding a readable table without its grant (or a grant without
// the judge's consent) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleReadableTables } from '../../src/query/sql-rule-judge.ts';

const script = readFileSync(new URL('../../clickhouse/rules-user.sh', import.meta.url), 'utf8');
const compose = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');

describe('the rules user of a ClickHouse server', () => {
  it('is granted SELECT on exactly the tables rules may read', () => {
    const list = /tables=\(([^)]*)\)/.exec(script)?.[1] ?? '';
    expect(list.split(/\s+/).filter(Boolean).sort()).toEqual([...ruleReadableTables].sort());
    expect(script).toMatch(/GRANT SELECT ON default\.\$\{table\} TO rules;/);
    expect(script).not.toMatch(/GRANT (ALL|INSERT|ALTER|CREATE)/i);
  });

  it('is created by docker-compose and used by the dashboard for SQL rules', () => {
    expect(compose).toContain(
      './alert-rules/clickhouse/rules-user.sh:/docker-entrypoint-initdb.d/rules-user.sh:ro',
    );
    expect(compose).toMatch(/CLICKHOUSE_RULES_URL: http:\/\/rules:\$\{CLICKHOUSE_RULES_PASSWORD/);
  });
});
