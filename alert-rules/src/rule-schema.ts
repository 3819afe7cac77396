// The shape of a rule file, validated with zod at the edge: groups → rules, each rule a metric
// statistic over a window compared with a threshold, with Prometheus' for / keep_firing_for,
// labels and annotation templates. Durations come out as milliseconds.
import {
  type AttributeFilter,
  type FilterOp,
  type MetricKind,
  quantileStats,
  type Stat,
  stats,
} from 'collector';
import { z } from 'zod';
import { parseDuration } from './duration.ts';

export const compareOps = ['>', '>=', '<', '<=', '==', '!='] as const;
export type CompareOp = (typeof compareOps)[number];

const filterOps = ['=', '!=', '>', '>=', '<', '<='] as const satisfies readonly FilterOp[];
const metricKinds = ['histogram', 'sum', 'gauge'] as const satisfies readonly MetricKind[];
const histogramOnly: readonly Stat[] = Object.keys(quantileStats) as Stat[];

const duration = z
  .string({ error: 'expected a duration such as 500ms, 10s, 1m or 1h30m' })
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a duration (use e.g. 500ms, 10s, 1m, 1h30m)`,
      });
      return z.NEVER;
    }
    return ms;
  });
const positiveDuration = duration.refine((ms) => ms > 0, 'must be longer than 0s');

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names are letters, digits and _');
const filterValue = z.union([z.string(), z.number()], { error: 'expected a string or a number' });
const condition = z
  .strictObject({ op: z.enum(filterOps), value: filterValue })
  .refine((c) => c.op === '=' || c.op === '!=' || Number.isFinite(Number(c.value)), {
    message: 'ordering operators (>, >=, <, <=) compare numbers',
    path: ['value'],
  });
/** `key: value` (equality), `key: {op, value}`, or `key: [{op, value}, ...]` (all must hold). */
const filterMap = z.record(z.string().min(1), z.union([filterValue, condition, z.array(condition).min(1)]));

export const ruleSchema = z
  .strictObject({
    alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'alert names are letters, digits and _'),
    metric: z.string().min(1),
    kind: z.enum(metricKinds),
    stat: z.enum(stats),
    service: z.string().min(1).optional(),
    where: filterMap.optional(),
    numerator: filterMap.optional(),
    window: positiveDuration,
    op: z.enum(compareOps),
    threshold: z.number().finite(),
    for: duration.default(0),
    keep_firing_for: duration.default(0),
    labels: z.record(labelName, z.string()).default({}),
    annotations: z.record(labelName, z.string()).default({}),
  })
  .superRefine((rule, ctx) => {
    if (rule.stat === 'ratio' && !rule.numerator)
      ctx.addIssue({ code: 'custom', path: ['numerator'], message: 'stat "ratio" needs a numerator filter' });
    if (rule.stat !== 'ratio' && rule.numerator)
      ctx.addIssue({
        code: 'custom',
        path: ['numerator'],
        message: 'numerator applies to stat "ratio" only',
      });
    if (rule.kind === 'histogram' && rule.stat === 'last')
      ctx.addIssue({
        code: 'custom',
        path: ['stat'],
        message: 'stat "last" applies to gauges and sums, not histograms',
      });
    if (rule.kind !== 'histogram' && histogramOnly.includes(rule.stat))
      ctx.addIssue({
        code: 'custom',
        path: ['stat'],
        message: `stat "${rule.stat}" applies to histograms only`,
      });
  });

export const groupSchema = z.strictObject({
  name: z.string().min(1),
  interval: positiveDuration.default(60_000),
  rules: z.array(ruleSchema).default([]),
});

export const ruleFileSchema = z.strictObject({ groups: z.array(groupSchema) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.groups.forEach((group, i) => {
    if (seen.has(group.name))
      ctx.addIssue({
        code: 'custom',
        path: ['groups', i, 'name'],
        message: `group "${group.name}" is repeated`,
      });
    seen.add(group.name);
  });
});

export type RuleFile = z.output<typeof ruleFileSchema>;
type ParsedRule = z.output<typeof ruleSchema>;

/** One alerting rule, ready to evaluate: durations in ms, filters as the collector's query builder takes them. */
export interface Rule {
  alert: string;
  group: string;
  file: string;
  /** 1-based line of the rule in its file. */
  line: number;
  intervalMs: number;
  metric: string;
  kind: MetricKind;
  stat: Stat;
  service?: string | undefined;
  where: AttributeFilter[];
  numerator?: AttributeFilter[] | undefined;
  windowMs: number;
  op: CompareOp;
  threshold: number;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

type FilterMap = NonNullable<ParsedRule['where']>;

export function toFilters(map: FilterMap): AttributeFilter[] {
  return Object.entries(map).flatMap(([key, spec]) => {
    if (typeof spec === 'string' || typeof spec === 'number') return [{ key, op: '=' as const, value: spec }];
    return (Array.isArray(spec) ? spec : [spec]).map((c) => ({ key, op: c.op, value: c.value }));
  });
}

export function toRule(
  parsed: ParsedRule,
  group: { name: string; interval: number },
  file: string,
  line: number,
): Rule {
  return {
    alert: parsed.alert,
    group: group.name,
    file,
    line,
    intervalMs: group.interval,
    metric: parsed.metric,
    kind: parsed.kind,
    stat: parsed.stat,
    service: parsed.service,
    where: parsed.where ? toFilters(parsed.where) : [],
    numerator: parsed.numerator ? toFilters(parsed.numerator) : undefined,
    windowMs: parsed.window,
    op: parsed.op,
    threshold: parsed.threshold,
    forMs: parsed.for,
    keepFiringForMs: parsed.keep_firing_for,
    labels: parsed.labels,
    annotations: parsed.annotations,
  };
}
