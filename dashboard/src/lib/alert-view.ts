// Alert rules, active alerts and transitions as the UI shows them, and how a rule's value reads.
import type { AlertStateName } from 'alert-rules';
import { formatMs, formatPercent } from './format.ts';

export type { AlertStateName };

export interface RuleView {
  name: string;
  group: string;
  /** e.g. "p95(http.server.request.duration) over 10s > 200 ms". */
  condition: string;
  forMs: number;
  severity: string | null;
  summary: string | null;
  /** The most urgent state among the rule's alerts (inactive when it has none). */
  state: AlertStateName;
  value: string;
  activeAt: number | null;
  lastEvalAt: number | null;
  lastError: string | null;
}

export interface ActiveAlertView {
  rule: string;
  state: AlertStateName;
  value: string;
  activeAt: number | null;
  labels: Record<string, string>;
  summary: string | null;
}

export interface TransitionView {
  at: number;
  rule: string;
  from: AlertStateName | null;
  to: AlertStateName;
  value: string;
}

export interface AlertsSnapshot {
  at: number;
  rules: RuleView[];
  /** Pending and firing alerts, firing first. */
  active: ActiveAlertView[];
  recent: TransitionView[];
  error: string | null;
}

const URGENCY: Record<AlertStateName, number> = {
  firing: 5,
  pending: 4,
  error: 3,
  nodata: 2,
  resolved: 1,
  inactive: 0,
};

/** The state that says most about a rule with several alerts: firing beats pending beats error… */
export function mostUrgent(states: readonly AlertStateName[]): AlertStateName {
  return states.reduce<AlertStateName>((worst, s) => (URGENCY[s] > URGENCY[worst] ? s : worst), 'inactive');
}

export function byUrgency<T extends { state: AlertStateName; activeAt: number | null }>(a: T, b: T): number {
  return URGENCY[b.state] - URGENCY[a.state] || (a.activeAt ?? 0) - (b.activeAt ?? 0);
}

const QUANTITY_STATS = new Set(['p50', 'p75', 'p90', 'p95', 'p99', 'avg', 'min', 'max', 'last']);

/**
 * A rule's value in the unit a person expects: ratios as percentages, durations (OTel reports
 * them in seconds, k6 in ms) in ms or s, anything else as a plain number.
 */
export function formatRuleValue(
  value: number | null | undefined,
  rule: { stat: string; metric: string },
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'no data';
  if (rule.stat === 'ratio') return formatPercent(value);
  if (QUANTITY_STATS.has(rule.stat) && /duration/.test(rule.metric)) {
    return formatMs(/^http\.(server|client)\./.test(rule.metric) ? value * 1000 : value);
  }
  if (rule.stat === 'rate') return `${value.toPrecision(3)}/s`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

export function describeCondition(rule: {
  stat: string;
  metric: string;
  windowMs: number;
  op: string;
  threshold: number;
}): string {
  const window = rule.windowMs % 60_000 === 0 ? `${rule.windowMs / 60_000}m` : `${rule.windowMs / 1000}s`;
  return `${rule.stat}(${rule.metric}) over ${window} ${rule.op} ${formatRuleValue(rule.threshold, rule)}`;
}
