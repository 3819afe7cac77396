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
/** What an unknown condition (no data, or a failed query) means for a rule. */
const unknownPolicies = ['nodata', 'error', 'alerting', 'ok'] as const;
export type UnknownPolicy = (typeof unknownPolicies)[number];
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
    /** Attribute keys (or `service`) to group by: one alert instance per group of values. */
    by: z
      .array(z.string().regex(/^[A-Za-z_][\w.\-/]*$/, 'attribute keys are letters, digits and _ . - /'))
      .default([]),
    window: positiveDuration,
    op: z.enum(compareOps),
    threshold: z.number().finite(),
    for: duration.default(0),
    keep_firing_for: duration.default(0),
    /** No data in the window: `nodata` holds the state (default), `alerting` counts as true, `ok` as false. */
    no_data: z.enum(unknownPolicies).default('nodata'),
    /** A failed query: `error` holds the state (default), `alerting` counts as true, `ok` as false. */
    on_error: z.enum(unknownPolicies).default('error'),
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
    if (rule.no_data === 'error')
      ctx.addIssue({ code: 'custom', path: ['no_data'], message: 'no_data is one of nodata, alerting, ok' });
    if (rule.on_error === 'nodata')
      ctx.addIssue({ code: 'custom', path: ['on_error'], message: 'on_error is one of error, alerting, ok' });
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

/**
 * An SLO on the share of bad events (e.g. 5xx responses among all requests); it expands into
 * the multiwindow burn-rate alerts of Google's SRE workbook (see slo.ts).
 */
export const sloSchema = z.strictObject({
  slo: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'SLO names are letters, digits and _'),
  /** Share of good events, e.g. 0.999. */
  objective: z.number().gt(0).lt(1),
  metric: z.string().min(1),
  kind: z.enum(['histogram', 'sum']),
  service: z.string().min(1).optional(),
  /** All events (total). */
  where: filterMap.optional(),
  /** The bad events among them. */
  bad: filterMap,
  by: z.array(z.string()).default([]),
  labels: z.record(labelName, z.string()).default({}),
  annotations: z.record(labelName, z.string()).default({}),
});
export type ParsedSlo = z.output<typeof sloSchema>;

export const groupSchema = z.strictObject({
  name: z.string().min(1),
  interval: positiveDuration.default(60_000),
  rules: z.array(ruleSchema).default([]),
  slos: z.array(sloSchema).default([]),
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
  /** Grouping attribute keys; empty: one alert for the whole rule. */
  by: string[];
  windowMs: number;
  /** Burn-rate rules: a second, shorter window that must meet the condition too. */
  shortWindowMs?: number | undefined;
  op: CompareOp;
  threshold: number;
  forMs: number;
  keepFiringForMs: number;
  /** `nodata`/`error`: the explicit state that holds; `alerting`: true; `ok`: false. */
  noData: UnknownPolicy;
  onError: UnknownPolicy;
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
    by: parsed.by,
    windowMs: parsed.window,
    op: parsed.op,
    threshold: parsed.threshold,
    forMs: parsed.for,
    keepFiringForMs: parsed.keep_firing_for,
    noData: parsed.no_data,
    onError: parsed.on_error,
    labels: parsed.labels,
    annotations: parsed.annotations,
  };
}
