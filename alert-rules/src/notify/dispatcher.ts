// Alertmanager's dispatcher, in-process: each firing/resolved alert is routed to receivers and
// put in an aggregation group (route × group_by label values). A group is sent when it is due —
// group_wait after it appears (default 0: at once), then at most every group_interval while it
// changes, and again every repeat_interval while it fires. Timing is checked on each evaluation
// tick (`flush(now)`), so tests that drive time drive notifications too. A silenced or
// acknowledged firing alert is held back (a "suppressed" row in the delivery log says so); once
// nothing holds it and it was never announced, its group is due again, so it goes out. As in
// Alertmanager (whose notification log records only successful sends), a delivery whose attempts
// all failed leaves its group due: it goes out again after group_interval, a resolve included.
import type { Store } from 'collector';
import { recordNotification } from '../store/alert-events.ts';
import { createReceiver, type GroupAlert, type Receiver } from './receivers.ts';
import { isInhibited, matchRoutes, type ResolvedRoute, type RoutingConfig } from './routing-config.ts';
import type { DeliveryOptions } from './webhook.ts';

interface AggregationGroup {
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

export interface DispatcherOptions {
  client: Store['client'];
  routing: RoutingConfig;
  env: Record<string, string | undefined>;
  externalUrl: string;
  delivery?: Omit<DeliveryOptions, 'onAttempt'> | undefined;
  log: (message: string) => void;
  /** Why a firing alert must not be sent now (a silence, an acknowledgement), or null. */
  suppressed?: ((alert: GroupAlert, now: number) => string | null) | undefined;
  /**
   * How long flush() waits for deliveries (default 2 s). A slower one — a receiver that hangs, then
   * the retries' backoff — goes on in the background, so it never holds up rule evaluation, and its
   * group is not sent again until it has ended.
   */
  flushWaitMs?: number | undefined;
}

export interface Dispatcher {
  enqueue(alert: GroupAlert, now: number): void;
  flush(now: number): Promise<void>;
  /** Resolves once no delivery is in flight (before the store closes). */
  settled(): Promise<void>;
  /** Receivers that could be built, and those skipped for a missing environment variable. */
  receivers(): { name: string; kind: string; missingEnv: string | null }[];
  /** The switched-on receivers an alert with these labels is routed to; empty: nothing would be sent. */
  receiversFor(labels: Record<string, string>): string[];
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { client, routing, log } = options;
  const receivers = new Map<string, Receiver>();
  const missing = new Map<string, string>();
  for (const config of routing.receivers) {
    const built = createReceiver(config, options.env);
    if ('receiver' in built) receivers.set(config.name, built.receiver);
    else {
      missing.set(config.name, built.missing);
      // The variable's name only: secrets never reach logs.
      log(`receiver ${config.name} is off: environment variable ${built.missing} is not set`);
    }
  }
  const groups = new Map<string, AggregationGroup>();
  /** Groups whose delivery is still going on (flush waits for it only up to flushWaitMs). */
  const sending = new Map<AggregationGroup, Promise<void>>();
  const flushWaitMs = options.flushWaitMs ?? 2_000;
  /** Every alert firing now, as inhibition sources. */
  const firing = new Map<string, GroupAlert>();
  const muted = (a: GroupAlert) =>
    a.status === 'firing' && isInhibited(a, firing.values(), routing.inhibit_rules);

  const suppressedReason = (a: GroupAlert, now: number) => options.suppressed?.(a, now) ?? null;

  async function send(group: AggregationGroup, now: number): Promise<void> {
    // A muted or suppressed alert is left out; if it was announced, its resolve still goes out later.
    const reasons = new Map<GroupAlert, string>();
    const alerts = [...group.alerts.values()].filter((a) => {
      if (a.status === 'resolved') return group.notified.has(a.fingerprint);
      const why = muted(a) ? 'inhibited' : suppressedReason(a, now);
      if (why) reasons.set(a, why);
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
    for (const [a, why] of reasons) {
      if (why === 'inhibited') continue; // inhibition is routing, not a person's decision: not logged
      await recordNotification(client, {
        at: now,
        receiver: group.receiver.name,
        rule: a.rule,
        fingerprint: a.fingerprint,
        status: a.status,
        attempt: 0,
        httpStatus: null,
        error: null,
        suppressed: why,
      }).catch((e: unknown) => log(`recording a suppressed notification failed: ${String(e)}`));
    }
    if (alerts.length === 0) return;
    const deliveries = await group.receiver.send(
      { groupLabels: group.groupLabels, alerts, externalUrl: options.externalUrl },
      {
        ...options.delivery,
        onAttempt: async (attempt) => {
          for (const a of alerts)
            await recordNotification(client, {
              at: attempt.at,
              receiver: group.receiver.name,
              rule: a.rule,
              fingerprint: a.fingerprint,
              status: a.status,
              attempt: attempt.attempt,
              httpStatus: attempt.httpStatus,
              error: attempt.error,
            }).catch((e: unknown) => log(`recording a notification attempt failed: ${String(e)}`));
        },
      },
    );
    for (const d of deliveries)
      if (!d.result.ok)
        log(
          `notification to ${group.receiver.name} for ${d.alerts.map((a) => a.rule).join(', ')} failed: ${d.result.attempts.at(-1)?.error}, sending again after group_interval`,
        );
    keepOwed(
      group,
      deliveries.flatMap((d) => (d.result.ok ? [] : d.alerts)),
      announced,
    );
  }

  /** Alerts whose delivery failed are still owed to the receiver: the group stays due for them. */
  function keepOwed(group: AggregationGroup, failed: GroupAlert[], announced: ReadonlySet<string>): void {
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

  function due(g: AggregationGroup, now: number): boolean {
    if (g.lastSentAt === null) return g.changed && now - g.createdAt >= g.route.groupWait;
    if (g.changed) return now - g.lastSentAt >= g.route.groupInterval;
    const firing = [...g.alerts.values()].some((a) => a.status === 'firing');
    return firing && now - g.lastSentAt >= g.route.repeatInterval;
  }

  return {
    enqueue(alert, now) {
      if (alert.status === 'firing') firing.set(alert.fingerprint, alert);
      else if (firing.delete(alert.fingerprint)) {
        // A source going away may unmute alerts nobody was told about yet.
        for (const g of groups.values())
          if ([...g.alerts.values()].some((a) => a.status === 'firing' && !g.notified.has(a.fingerprint)))
            g.changed = true;
      }
      for (const route of matchRoutes(routing.route, alert.labels)) {
        const receiver = receivers.get(route.receiver);
        if (!receiver) continue;
        const groupLabels = Object.fromEntries(
          route.groupBy.filter((k) => alert.labels[k] !== undefined).map((k) => [k, alert.labels[k]!]),
        );
        const key = `${route.id}\u0000${route.receiver}\u0000${JSON.stringify(groupLabels)}`;
        let group = groups.get(key);
        if (!group) {
          group = {
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
          groups.set(key, group);
          // A resolve for a group this process never sent: the firing went out before a restart
          // or a failover (the engine restores only transitions it recorded), so resolve it.
          if (alert.status === 'resolved') group.notified.add(alert.fingerprint);
        }
        group.alerts.set(alert.fingerprint, alert);
        group.changed = true;
      }
    },
    async flush(now) {
      // A held-back alert that nothing holds any more (its silence ended, it was un-acknowledged)
      // is news: its group is due again.
      for (const g of groups.values())
        for (const fp of g.held) {
          const a = g.alerts.get(fp);
          if (a?.status === 'firing' && !muted(a) && suppressedReason(a, now) === null) g.changed = true;
        }
      const dueGroups = [...groups].filter(([, g]) => !sending.has(g) && due(g, now));
      const sends = dueGroups.map(([key, g]) => {
        const delivery = send(g, now)
          .catch((e: unknown) => log(`notification to ${g.receiver.name} failed: ${String(e)}`))
          .finally(() => {
            sending.delete(g);
            if (g.alerts.size === 0 && groups.get(key) === g) groups.delete(key);
          });
        sending.set(g, delivery);
        return delivery;
      });
      if (sends.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(sends),
        new Promise((resolve) => {
          timer = setTimeout(resolve, flushWaitMs);
        }),
      ]);
      clearTimeout(timer);
    },
    async settled() {
      while (sending.size > 0) await Promise.all(sending.values());
    },
    receiversFor: (labels) => [
      ...new Set(
        matchRoutes(routing.route, labels)
          .map((route) => route.receiver)
          .filter((name) => receivers.has(name)),
      ),
    ],
    receivers: () =>
      routing.receivers.map((r) => ({
        name: r.name,
        kind: r.webhook ? 'webhook' : r.slack ? 'slack' : 'pagerduty',
        missingEnv: missing.get(r.name) ?? null,
      })),
  };
}
