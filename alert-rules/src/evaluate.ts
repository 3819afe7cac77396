// Evaluates one rule at one instant: its statistic over [now - window, now), through the
// collector's shared query builder, and whether that value meets the rule's condition.
import { queryGroupedStat, queryStat, type Store } from 'collector';
import { querySqlRule } from './query/sql-rule.ts';
import type { CompareOp, Rule, StatRule } from './rule-schema.ts';

type Client = Store['client'];

export interface RuleValue {
  /** The statistic over the window; null when the window holds no data. */
  value: number | null;
}

/** Throws when the query fails; the engine turns that into the rule's error state. */
export async function evaluateRule(client: Client, rule: StatRule, now: number): Promise<RuleValue> {
  const value = await queryStat(client, {
    metric: rule.metric,
    kind: rule.kind,
    stat: rule.stat,
    serviceName: rule.service,
    where: rule.where,
    numerator: rule.numerator,
    window: { from: now - rule.windowMs, to: now },
  });
  return { value: value === null || Number.isNaN(value) ? null : value };
}

export function conditionHolds(value: number, op: CompareOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
    default: {
      const unknown: never = op;
      throw new RangeError(`unknown comparison ${String(unknown)}`);
    }
  }
}

/** One group's value; labels are the `by` keys as label names (`http.route` → `http_route`). */
export interface GroupedRuleValue {
  labels: Record<string, string>;
  value: number | null;
}

/** Prometheus label names have no dots: the OTel → Prometheus translation turns them into `_`. */
export const labelNameOf = (attributeKey: string) => attributeKey.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * A rule without `by` is one group with no labels; with `by`, one entry per group that has data;
 * a SQL rule, one entry per row.
 */
export async function evaluateRuleGroups(
  client: Client,
  rule: Rule,
  now: number,
): Promise<GroupedRuleValue[]> {
  if (rule.type === 'sql') return querySqlRule(client, rule, now);
  if (rule.shortWindowMs === undefined) return evaluateWindow(client, rule, now);
  const [long, short] = await Promise.all([
    evaluateWindow(client, rule, now),
    evaluateWindow(client, { ...rule, windowMs: rule.shortWindowMs }, now),
  ]);
  return bothWindows(rule, long, short);
}

/** A burn-rate rule's two windows must both meet the condition: the value is the one nearer to failing it. */
export function bothWindows(
  rule: StatRule,
  long: GroupedRuleValue[],
  short: GroupedRuleValue[],
): GroupedRuleValue[] {
  const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
  const shortByKey = new Map(short.map((g) => [key(g.labels), g.value]));
  const pick = rule.op === '<' || rule.op === '<=' ? Math.max : Math.min;
  return long.map((g) => {
    const other = shortByKey.get(key(g.labels)) ?? null;
    return { labels: g.labels, value: g.value === null || other === null ? null : pick(g.value, other) };
  });
}

async function evaluateWindow(client: Client, rule: StatRule, now: number): Promise<GroupedRuleValue[]> {
  if (rule.by.length === 0) return [{ labels: {}, value: (await evaluateRule(client, rule, now)).value }];
  const groups = await queryGroupedStat(client, {
    metric: rule.metric,
    kind: rule.kind,
    stat: rule.stat,
    serviceName: rule.service,
    where: rule.where,
    numerator: rule.numerator,
    by: rule.by,
    window: { from: now - rule.windowMs, to: now },
  });
  return groups.map((g) => ({
    labels: Object.fromEntries(Object.entries(g.group).map(([k, v]) => [labelNameOf(k), v])),
    value: g.value,
  }));
}
