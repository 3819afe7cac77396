// How a rule reads for people: its condition ("p95(http.server.request.duration) over 10s > 200 ms")
// and its values, both in the rule's unit, the same on the dashboard and in notifications.
import { formatDuration } from './duration.ts';
import type { Rule } from './rule-schema.ts';
import { formatValue } from './units.ts';

/** A value of the rule (its evaluated value, or its threshold) in the rule's unit; null: "no data". */
export const formatRuleValue = (rule: Pick<Rule, 'unit'>, value: number | null | undefined): string =>
  formatValue(value, rule.unit);

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
