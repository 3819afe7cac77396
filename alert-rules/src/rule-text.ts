// How a rule reads for people: its condition ("p95(http.server.request.duration) over 10s > 200 ms")
// and its values, both in the rule's unit, the same on the dashboard and in notifications.
import { formatDuration } from './duration.ts';
import type { Rule } from './rule-schema.ts';
import { formatValue, isKnownUnit } from './units.ts';

type UnitSource = Partial<Pick<Rule, 'type' | 'unit'>>;

/**
 * The unit of one alert instance's value: the rule's, except for a raw SQL rule whose rows carry
 * their own in a `unit` column (a label of the instance), e.g. `any(MetricUnit) AS unit` for rows
 * of different metrics.
 */
export function unitOf(rule: UnitSource, labels?: Record<string, string>): string | undefined {
  const own = rule.type === 'sql' ? labels?.unit : undefined;
  return own !== undefined && isKnownUnit(own) ? own : rule.unit;
}

/** A value of the rule (its evaluated value, or its threshold) in its unit; null: "no data". */
export const formatRuleValue = (
  rule: UnitSource,
  value: number | null | undefined,
  labels?: Record<string, string>,
): string => formatValue(value, unitOf(rule, labels));

/** The condition as one line: statistic, metric, window(s), operator and threshold in the rule's unit. */
export function describeCondition(rule: Rule): string {
  const threshold = `${rule.op} ${formatRuleValue(rule, rule.threshold)}`;
  if (rule.type === 'sql') return `sql over ${formatDuration(rule.windowMs)} ${threshold}`;
  const windows =
    rule.shortWindowMs === undefined
      ? formatDuration(rule.windowMs)
      : `${formatDuration(rule.windowMs)} and ${formatDuration(rule.shortWindowMs)}`;
  return `${rule.stat}(${rule.metric}) over ${windows} ${threshold}`;
}
