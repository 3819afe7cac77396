// LoadRunLatencyThresholdFailing (rules/k6.yaml) must compute a run's p95 exactly as every other
// reader of the run does (load-tests' queryRunPercentiles): the same table and the same quantile
// function, named once in collector/src/query/run-sample-quantile.ts. A YAML rule cannot import that
// name, so this holds the rule's text to it.
import { fileURLToPath } from 'node:url';
import { RUN_SAMPLE_QUANTILE, RUN_SAMPLE_QUANTILES, RUN_SAMPLES_TABLE } from 'collector';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../src/load-rules.ts';

const rule = loadRules(fileURLToPath(new URL('../rules', import.meta.url))).rules.find(
  (r) => r.alert === 'LoadRunLatencyThresholdFailing',
);

describe('LoadRunLatencyThresholdFailing', () => {
  it("computes the p95 from the run's samples with queryRunPercentiles' quantile function", () => {
    if (rule?.type !== 'sql') throw new Error('LoadRunLatencyThresholdFailing is not a sql rule');
    expect(rule.sql).toMatch(new RegExp(`\\bFROM\\s+${RUN_SAMPLES_TABLE}\\b`));
    expect(rule.sql).toContain(`${RUN_SAMPLE_QUANTILE}(0.95)(DurationMs) AS value`);
    // No other quantile (or median) function anywhere in the rule.
    const quantileCalls = rule.sql.match(/\b(quantiles?\w*|median\w*)\s*\(/gi) ?? [];
    expect(quantileCalls.map((c) => c.replace(/\s*\($/, ''))).toEqual([RUN_SAMPLE_QUANTILE]);
    expect(RUN_SAMPLE_QUANTILES).toBe(RUN_SAMPLE_QUANTILE.replace(/^quantile/, 'quantiles'));
  });

  it('keeps the plan threshold, window, `for`, unit and resolve-on-end of the run', () => {
    expect(rule).toMatchObject({
      op: '>',
      threshold: 200,
      unit: 'ms',
      windowMs: 30_000,
      forMs: 10_000,
      noData: 'ok',
      labels: { severity: 'ticket' },
    });
  });
});
