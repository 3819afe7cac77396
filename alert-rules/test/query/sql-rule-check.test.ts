// What `check` says about raw `sql:` rules: one SELECT, no SETTINGS, only the window's parameters,
// each problem with its file and line.
import { describe, expect, it } from 'vitest';
import { formatRuleError, parseRuleFile } from '../../src/load-rules.ts';
import { sqlRuleProblems } from '../../src/query/sql-rule-check.ts';

const file = (sql: string, extra = '') => `groups:
  - name: g
    rules:
      - alert: Raw
        sql: ${JSON.stringify(sql)}
        window: 1m
        op: ">"
        threshold: 0${extra}
`;

describe('sql rules in check', () => {
  it('accepts a SELECT or WITH query using the window parameters, comments and a trailing semicolon', () => {
    expect(
      sqlRuleProblems(`-- why\nWITH 1 AS one SELECT count() * one AS value FROM otel_metrics_gauge
        WHERE TimeUnix >= {from:DateTime64(3)} AND TimeUnix < {to: DateTime64(3)} AND MetricName != 'x;SETTINGS';`),
    ).toEqual([]);
    const { rules, errors } = parseRuleFile(file('SELECT 1 AS value', '\n        timeout: 2s'), 'raw.yaml');
    expect(errors).toEqual([]);
    expect(rules[0]).toMatchObject({ type: 'sql', alert: 'Raw', timeoutMs: 2000, windowMs: 60_000 });
  });

  it('rejects writes, several statements, SETTINGS and unknown parameters, naming file and line', () => {
    const cases: [string, RegExp][] = [
      ["INSERT INTO cp_silences (Id) VALUES ('x')", /must be a SELECT .* not INSERT/],
      ['DROP TABLE otel_metrics_gauge', /not DROP/],
      ['SELECT 1 AS value; DROP TABLE otel_metrics_gauge', /single statement/],
      ['SELECT 1 AS value SETTINGS readonly = 0', /must not set SETTINGS/],
      ['SELECT {service:String} AS value', /unknown query parameter \{service/],
      ['SELECT {from:DateTime} AS value', /\{from:DateTime\} must be \{from:DateTime64\(3\)\}/],
    ];
    for (const [sql, message] of cases) {
      const { errors } = parseRuleFile(file(sql), 'raw.yaml');
      expect(errors.map(formatRuleError)).toEqual([expect.stringMatching(/^raw\.yaml:5: rule "Raw" sql: /)]);
      expect(errors[0]?.message).toMatch(message);
    }
  });

  it('rejects a rule mixing sql with metric fields', () => {
    const { errors } = parseRuleFile(file('SELECT 1 AS value', '\n        metric: x'), 'raw.yaml');
    expect(errors.map(formatRuleError)).toEqual([expect.stringMatching(/raw\.yaml:9: .*metric/)]);
  });
});
