// The shape of a rule file, validated with zod at the edge: groups → rules, each rule a metric
// statistic over a window (or a raw read-only `sql:` query) compared with a threshold, with
// Prometheus' for / keep_firing_for, labels and annotation templates. Durations come out as ms.
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
import { isKnownUnit, knownUnits, metricUnit, statUnit } from './units.ts';

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

/** The unit of the value a rule compares (OTel/UCUM); see units.ts. */
const unit = z
  .string()
  .refine(
    isKnownUnit,
    `not a unit this engine formats (use one of ${knownUnits.join(', ')}, a {count}, or a rate such as {request}/s)`,
  );

const alertName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'alert names are letters, digits and _');

/** Fields every rule has, whatever its condition is made of. */
const commonRuleFields = {
  window: positiveDuration,
  op: z.enum(compareOps),
  threshold: z.number().finite(),
  /** The unit of the compared value (and the threshold); default: from the statistic and the metric. */
  unit: unit.optional(),
  for: duration.default(0),
  keep_firing_for: duration.default(0),
  /** No data in the window: `nodata` holds the state (default), `alerting` counts as true, `ok` as false. */
  no_data: z.enum(unknownPolicies).default('nodata'),
  /** A failed query: `error` holds the state (default), `alerting` counts as true, `ok` as false. */
  on_error: z.enum(unknownPolicies).default('error'),
  labels: z.record(labelName, z.string()).default({}),
  annotations: z.record(labelName, z.string()).default({}),
};

function checkPolicies(rule: { no_data: UnknownPolicy; on_error: UnknownPolicy }, ctx: z.RefinementCtx) {
  if (rule.no_data === 'error')
    ctx.addIssue({ code: 'custom', path: ['no_data'], message: 'no_data is one of nodata, alerting, ok' });
  if (rule.on_error === 'nodata')
    ctx.addIssue({ code: 'custom', path: ['on_error'], message: 'on_error is one of error, alerting, ok' });
}

export const ruleSchema = z
  .strictObject({
    type: z.literal('stat').default('stat'),
    alert: alertName,
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
    ...commonRuleFields,
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
    checkPolicies(rule, ctx);
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
 * The escape hatch: a SELECT returning a `value` column (and optionally label columns, one alert
 * instance per row), run read-only and time-bounded with the window as {from:DateTime64(3)} and
 * {to:DateTime64(3)}.
 */
export const sqlRuleSchema = z
  .strictObject({
    type: z.literal('sql').default('sql'),
    alert: alertName,
    /** Judged by ClickHouse's own parser in the store it runs in (query/sql-rule-judge.ts), not here. */
    sql: z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20,000 characters'),
    /** The query's max_execution_time (default 5s, at most 10s: the embedded store runs one query at a time). */
    timeout: positiveDuration.refine((ms) => ms <= 10_000, 'must be at most 10s').default(5_000),
    ...commonRuleFields,
  })
  .superRefine(checkPolicies);

/** A rule with `sql:` is a raw SQL rule; any other is a metric statistic. */
const anyRuleSchema = z.preprocess(
  (input) =>
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? { ...input, type: 'sql' in input ? 'sql' : 'stat' }
      : input,
  z.discriminatedUnion('type', [ruleSchema, sqlRuleSchema]),
);

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
  rules: z.array(anyRuleSchema).default([]),
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
type ParsedSqlRule = z.output<typeof sqlRuleSchema>;

/** What every rule has: where it comes from, its comparison, timing, policies and templates. */
interface RuleCommon {
  alert: string;
  group: string;
  file: string;
  /** 1-based line of the rule in its file. */
  line: number;
  intervalMs: number;
  windowMs: number;
  op: CompareOp;
  threshold: number;
  /**
   * The unit of the value compared with the threshold (OTel/UCUM: s, ms, By, 1 for ratios…):
   * declared with `unit:`, or the statistic's unit of the metric's OTel unit; undefined: unknown.
   */
  unit?: string | undefined;
  forMs: number;
  keepFiringForMs: number;
  /** `nodata`/`error`: the explicit state that holds; `alerting`: true; `ok`: false. */
  noData: UnknownPolicy;
  onError: UnknownPolicy;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A raw SQL rule: one alert instance per row, its non-`value` columns as labels. */
export interface SqlRule extends RuleCommon {
  type: 'sql';
  sql: string;
  timeoutMs: number;
}

/** One alerting rule, ready to evaluate: durations in ms, filters as the collector's query builder takes them. */
export type Rule = StatRule | SqlRule;

export interface StatRule extends RuleCommon {
  type: 'stat';
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
}

type FilterMap = NonNullable<ParsedRule['where']>;

export function toFilters(map: FilterMap): AttributeFilter[] {
  return Object.entries(map).flatMap(([key, spec]) => {
    if (typeof spec === 'string' || typeof spec === 'number') return [{ key, op: '=' as const, value: spec }];
    return (Array.isArray(spec) ? spec : [spec]).map((c) => ({ key, op: c.op, value: c.value }));
  });
}

export function toRule(
  parsed: ParsedRule | ParsedSqlRule,
  group: { name: string; interval: number },
  file: string,
  line: number,
): Rule {
  const common: RuleCommon = {
    alert: parsed.alert,
    group: group.name,
    file,
    line,
    intervalMs: group.interval,
    windowMs: parsed.window,
    op: parsed.op,
    threshold: parsed.threshold,
    unit: parsed.unit,
    forMs: parsed.for,
    keepFiringForMs: parsed.keep_firing_for,
    noData: parsed.no_data,
    onError: parsed.on_error,
    labels: parsed.labels,
    annotations: parsed.annotations,
  };
  if (parsed.type === 'sql') return { ...common, type: 'sql', sql: parsed.sql, timeoutMs: parsed.timeout };
  return {
    ...common,
    type: 'stat',
    metric: parsed.metric,
    kind: parsed.kind,
    stat: parsed.stat,
    service: parsed.service,
    where: parsed.where ? toFilters(parsed.where) : [],
    numerator: parsed.numerator ? toFilters(parsed.numerator) : undefined,
    by: parsed.by,
    unit: parsed.unit ?? statUnit(parsed.stat, parsed.kind, metricUnit(parsed.metric)),
  };
}
