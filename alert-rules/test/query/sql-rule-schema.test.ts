// What the rule file schema says about raw `sql:` rules before ClickHouse judges them (that is
// sql-rule-judge.int.test.ts): the text is required and bounded, the timeout at most 10s, and a
// rule mixing sql with metric fields is refused, each problem with its file and line.
import { describe, expect, it } from 'vitest';
import { formatRuleError, parseRuleFile } from '../../src/load-rules.ts';

const file = (sql: string, extra = '') => `groups:
  - name: g
    rules:
      - alert: Raw
        sql: ${JSON.stringify(sql)}
        window: 1m
        op: ">"
        threshold: 0${extra}
`;

describe('sql rules in the rule file schema', () => {
  it('reads the query, its timeout and window', () => {
    const { rules, errors } = parseRuleFile(file('SELECT 1 AS value', '\n        timeout: 2s'), 'raw.yaml');
    expect(errors).toEqual([]);
    expect(rules[0]).toMatchObject({ type: 'sql', alert: 'Raw', sql: 'SELECT 1 AS value', timeoutMs: 2000 });
  });

  it('refuses an empty or oversized query and a timeout over 10s, naming file and line', () => {
    const cases: [string, string, RegExp][] = [
      ['   ', '', /sql: must not be empty/],
      [`SELECT ${'1 + '.repeat(5_000)}1 AS value`, '', /at most 20,000 characters/],
      ['SELECT 1 AS value', '\n        timeout: 11s', /timeout: must be at most 10s/],
    ];
    for (const [sql, extra, message] of cases) {
      const { errors } = parseRuleFile(file(sql, extra), 'raw.yaml');
      expect(errors.map(formatRuleError)).toEqual([expect.stringMatching(/^raw\.yaml:\d+: rule "Raw" /)]);
      expect(errors[0]?.message).toMatch(message);
    }
  });

  it('refuses a rule mixing sql with metric fields', () => {
    const { errors } = parseRuleFile(file('SELECT 1 AS value', '\n        metric: x'), 'raw.yaml');
    expect(errors.map(formatRuleError)).toEqual([expect.stringMatching(/raw\.yaml:9: .*metric/)]);
  });
});
