// An aggregation group (route × group_by label values × receiver) and what it owes: which alerts
// go out when it is sent, which are held back and why, when it is due again, and — when a delivery
// fails — what stays owed, so the group goes out again after group_interval (a resolve included).
import type { GroupAlert, Receiver } from './receivers.ts';
import type { ResolvedRoute } from './routing-config.ts';

export interface AggregationGroup {
  route: ResolvedRoute;
  receiver: Receiver;
  groupLabels: Record<string, string>;
  alerts: Map<string, GroupAlert>;
  /** Fingerprints whose firing was sent: a resolve is only news to those. */
  notified: Set<string>;
  /** Firing alerts held back (silenced, acknowledged, inhibited) before they were ever sent. */
  held: Set<string>;
  createdAt: number;
  lastSentAt: number | null;
  changed: boolean;
}

export function newGroup(
  route: ResolvedRoute,
  receiver: Receiver,
  groupLabels: Record<string, string>,
  now: number,
): AggregationGroup {
  return {
    route,
    receiver,
    groupLabels,
    alerts: new Map(),
    notified: new Set(),
    held: new Set(),
    createdAt: now,
    lastSentAt: null,
    changed: false,
  };
}

/** group_wait after it appears, then group_interval while it changes, repeat_interval while it fires. */
export function isDue(g: AggregationGroup, now: number): boolean {
  if (g.lastSentAt === null) return g.changed && now - g.createdAt >= g.route.groupWait;
  if (g.changed) return now - g.lastSentAt >= g.route.groupInterval;
  const firing = [...g.alerts.values()].some((a) => a.status === 'firing');
  return firing && now - g.lastSentAt >= g.route.repeatInterval;
}

/**
 * The alerts to send now, and those held back with the reason (`holdReason`: inhibited, silenced,
 * acknowledged, or null). A resolve goes only to whoever got the firing. Marks the group sent:
 * resolved alerts leave it, sent firing ones count as announced, unannounced held ones as held.
 */
export function takeSendable(
  group: AggregationGroup,
  now: number,
  holdReason: (a: GroupAlert) => string | null,
): { alerts: GroupAlert[]; held: Map<GroupAlert, string>; announced: ReadonlySet<string> } {
  const held = new Map<GroupAlert, string>();
  const alerts = [...group.alerts.values()].filter((a) => {
    if (a.status === 'resolved') return group.notified.has(a.fingerprint);
    const why = holdReason(a);
    if (why) held.set(a, why);
    return why === null;
  });
  group.lastSentAt = now;
  group.changed = false;
  const announced = new Set(group.notified);
  for (const a of group.alerts.values()) {
    if (a.status === 'firing') {
      if (alerts.includes(a)) group.notified.add(a.fingerprint);
      if (alerts.includes(a)) group.held.delete(a.fingerprint);
      else if (!group.notified.has(a.fingerprint)) group.held.add(a.fingerprint);
    } else {
      group.alerts.delete(a.fingerprint);
      group.notified.delete(a.fingerprint);
      group.held.delete(a.fingerprint);
    }
  }
  return { alerts, held, announced };
}

/** Alerts whose delivery failed are still owed to the receiver: the group stays due for them. */
export function keepOwed(
  group: AggregationGroup,
  failed: GroupAlert[],
  announced: ReadonlySet<string>,
): void {
  for (const a of failed) {
    if (a.status === 'firing') {
      if (!announced.has(a.fingerprint)) group.notified.delete(a.fingerprint);
    } else if (!group.alerts.has(a.fingerprint)) {
      // The resolve is owed to whoever got the firing (unless it fired again meanwhile: newer news).
      group.alerts.set(a.fingerprint, a);
      group.notified.add(a.fingerprint);
    }
  }
  if (failed.length > 0) group.changed = true;
}
