// The rule test file format, promtool's `test rules` shape: rule files under test, input series,
// and the alerts expected to be firing at given evaluation times. Validated with zod at the edge.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { expandValues, parseSelector } from './series.ts';

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 500ms, 10s, 1m)` });
    return z.NEVER;
  }
  return ms;
});

const seriesSchema = z
  .strictObject({
    series: z.string().min(1),
    values: z.string(),
    kind: z.enum(['histogram', 'sum', 'gauge']).default('histogram'),
    /** Histogram observations per sample. */
    count: z.number().int().positive().default(10),
    /** Histogram bucket bounds (default: the OTel HTTP duration buckets, in seconds). */
    buckets: z.array(z.number()).min(1).optional(),
    /** The metric's OTel unit as stored (MetricUnit), for rules that read it. */
    unit: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    for (const [field, check] of [
      ['series', () => parseSelector(s.series)],
      ['values', () => expandValues(s.values)],
    ] as const) {
      try {
        check();
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: [field], message: (e as Error).message });
      }
    }
  });

/** Request samples of a load run (rows of cp_run_samples): `count` requests per step, each lasting the value (ms). */
const samplesSchema = z
  .strictObject({
    run_id: z.string().min(1),
    /** k6's `name` tag (the endpoint). */
    name: z.string().optional(),
    /** The k6 process's execution segment ("0:1/2"). */
    segment: z.string().optional(),
    values: z.string(),
    count: z.number().int().positive().default(1),
  })
  .superRefine((s, ctx) => {
    try {
      expandValues(s.values);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: (e as Error).message });
    }
  });

const expectedAlert = z.strictObject({
  exp_labels: z.record(z.string(), z.string()).default({}),
  /** When given, the alert's annotations must equal these exactly. */
  exp_annotations: z.record(z.string(), z.string()).optional(),
});

const alertTest = z.strictObject({
  eval_time: duration,
  alertname: z.string().min(1),
  exp_alerts: z.array(expectedAlert).default([]),
});

const testCase = z.strictObject({
  name: z.string().optional(),
  /** Step between input samples. */
  interval: duration.optional(),
  input_series: z.array(seriesSchema).default([]),
  input_samples: z.array(samplesSchema).default([]),
  alert_rule_test: z.array(alertTest).min(1),
});

export const ruleTestFileSchema = z.strictObject({
  /** Rule files or directories, relative to the test file. */
  rule_files: z.array(z.string().min(1)).min(1),
  /** How often rules are evaluated in the test (default: the smallest group interval). */
  evaluation_interval: duration.optional(),
  tests: z.array(testCase).min(1),
});

export type RuleTestFile = z.output<typeof ruleTestFileSchema>;
export type RuleTestCase = RuleTestFile['tests'][number];

export function parseRuleTestFile(path: string): { file?: RuleTestFile; errors: string[] } {
  const doc = parseDocument(readFileSync(path, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) return { errors: doc.errors.map((e) => e.message) };
  const parsed = ruleTestFileSchema.safeParse(doc.toJS());
  if (!parsed.success)
    return { errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`) };
  return { file: parsed.data, errors: [] };
}
