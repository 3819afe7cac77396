// Alert rules, alert instances, silences and transitions as the UI shows them, and the
// firing/pending counts over time that the timeline chart draws. Values and conditions arrive as
// text in each rule's unit, formatted by alert-rules (the same text its notifications carry).
import type { AlertStateName } from 'alert-rules/model';

export type { AlertStateName };

export interface RuleView {
  name: string;
  group: string;
  /** e.g. "p95(http.server.request.duration) over 10s > 200 ms", the threshold in the rule's unit. */
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
  /** How long the rule's last evaluation took (its query and arithmetic), ms. */
  evalDurationMs: number | null;
}

export interface ActiveAlertView {
  rule: string;
  state: AlertStateName;
  value: string;
  activeAt: number | null;
  labels: Record<string, string>;
  summary: string | null;
  fingerprint?: string;
  /** Ids of the active silences that mute it. */
  silencedBy?: string[];
  /** Who acknowledged it, while they have. */
  acknowledged?: { by: string; comment: string; at: number } | null;
  /** What happens to its notifications now (absent in old snapshots: unknown). */
  delivery?: Delivery;
}

/**
 * Whether an alert's notifications go anywhere: held back by a silence or an acknowledgement, going
 * nowhere (no receiver switched on for its routes), sent (firing), or to be sent once it fires.
 */
export type Delivery =
  | { state: 'silenced' }
  | { state: 'acknowledged' }
  | { state: 'no-receiver' }
  | { state: 'notifying'; receivers: string[] }
  | { state: 'waiting'; receivers: string[] };

/** The delivery of an alert from the engine's view of it (nodata and error count as what they hold). */
export function deliveryOf(a: {
  state: AlertStateName;
  held: AlertStateName | null;
  silencedBy: readonly string[];
  acknowledged: unknown;
  receivers: readonly string[];
}): Delivery {
  if (a.silencedBy.length > 0) return { state: 'silenced' };
  if (a.acknowledged) return { state: 'acknowledged' };
  if (a.receivers.length === 0) return { state: 'no-receiver' };
  const firing = a.state === 'firing' || a.held === 'firing';
  return { state: firing ? 'notifying' : 'waiting', receivers: [...a.receivers] };
}

/** The delivery as the alert views word it. */
export function deliveryText(d: Delivery): string {
  switch (d.state) {
    case 'silenced':
      return 'silenced';
    case 'acknowledged':
      return 'acknowledged';
    case 'no-receiver':
      return 'no receiver configured';
    case 'notifying':
      return `notifying ${d.receivers.join(', ')}`;
    case 'waiting':
      return `notifies ${d.receivers.join(', ')} if it fires`;
    default: {
      const unknown: never = d;
      throw new TypeError(`unknown delivery ${JSON.stringify(unknown)}`);
    }
  }
}

export interface ResolvedAlertView {
  rule: string;
  fingerprint: string;
  labels: Record<string, string>;
  /** When it became active (pending) and when it resolved. */
  activeAt: number | null;
  resolvedAt: number;
  value: string;
}

export interface MatcherView {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface SilenceView {
  id: string;
  matchers: MatcherView[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  state: 'pending' | 'active' | 'expired';
  /** Why a stored silence is not applied (a pattern RE2 refuses): it matches nothing. */
  problem?: string;
}

export interface TransitionView {
  at: number;
  rule: string;
  fingerprint?: string;
  from: AlertStateName | null;
  to: AlertStateName;
  value: string;
}

export interface AlertsSnapshot {
  at: number;
  rules: RuleView[];
  /** Pending, firing, no-data and error alerts, firing first. */
  active: ActiveAlertView[];
  /** Recently resolved alerts, newest first. */
  resolved: ResolvedAlertView[];
  silences: SilenceView[];
  recent: TransitionView[];
  /** Firing and pending counts over the last hour, for the timeline chart. */
  timeline: TimelinePoint[];
  error: string | null;
}

export interface TimelinePoint {
  t: number;
  firing: number;
  pending: number;
}

/**
 * Firing and pending instance counts after each transition, oldest first, drawn as steps (a point
 * just before each change keeps the old count). No data and error hold the state they interrupt.
 */
export function alertTimeline(
  transitions: readonly { at: number; fingerprint?: string | undefined; rule: string; to: AlertStateName }[],
  from: number,
  to: number,
): TimelinePoint[] {
  const state = new Map<string, AlertStateName>();
  const counts = () => {
    const all = [...state.values()];
    return {
      firing: all.filter((s) => s === 'firing').length,
      pending: all.filter((s) => s === 'pending').length,
    };
  };
  const apply = (tr: (typeof transitions)[number]) => {
    if (tr.to !== 'nodata' && tr.to !== 'error') state.set(tr.fingerprint ?? tr.rule, tr.to);
  };
  const ordered = [...transitions].sort((a, b) => a.at - b.at);
  let i = 0;
  for (; i < ordered.length && ordered[i]!.at < from; i++) apply(ordered[i]!);
  const points: TimelinePoint[] = [{ t: from, ...counts() }];
  for (; i < ordered.length && ordered[i]!.at <= to; i++) {
    const tr = ordered[i]!;
    const before = counts();
    apply(tr);
    const after = counts();
    if (before.firing === after.firing && before.pending === after.pending) continue;
    points.push({ t: Math.max(from, tr.at - 1), ...before }, { t: tr.at, ...after });
  }
  points.push({ t: to, ...counts() });
  return points;
}

/** Matchers that pick exactly this alert (prefilled in the silence form). */
export function matchersFromLabels(labels: Record<string, string>): MatcherView[] {
  const first = labels.alertname === undefined ? [] : [['alertname', labels.alertname] as const];
  const rest = Object.entries(labels)
    .filter(([k]) => k !== 'alertname')
    .sort(([a], [b]) => a.localeCompare(b));
  return [...first, ...rest].map(([name, value]) => ({ name, op: '=', value }));
}

/** Alertmanager's text form, e.g. alertname="TargetNoData". */
export const formatMatcher = (m: MatcherView) => `${m.name}${m.op}${JSON.stringify(m.value)}`;

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
