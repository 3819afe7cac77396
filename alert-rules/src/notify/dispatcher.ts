// Alertmanager's dispatcher, in-process: each firing/resolved alert is routed to receivers and
// put in an aggregation group (route × group_by label values). A group is sent when it is due —
// group_wait after it appears (default 0: at once), then at most every group_interval while it
// changes, and again every repeat_interval while it fires. Timing is checked on each evaluation
// tick (`flush(now)`), so tests that drive time drive notifications too.
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
}

export interface Dispatcher {
  enqueue(alert: GroupAlert, now: number): void;
  flush(now: number): Promise<void>;
  /** Receivers that could be built, and those skipped for a missing environment variable. */
  receivers(): { name: string; kind: string; missingEnv: string | null }[];
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
  /** Every alert firing now, as inhibition sources. */
  const firing = new Map<string, GroupAlert>();
  const muted = (a: GroupAlert) =>
    a.status === 'firing' && isInhibited(a, firing.values(), routing.inhibit_rules);

  async function send(group: AggregationGroup, now: number): Promise<void> {
    // A muted alert is left out; if it was announced, its resolve still goes out later.
    const alerts = [...group.alerts.values()].filter(
      (a) =>
        (a.status === 'firing' && !muted(a)) ||
        (a.status === 'resolved' && group.notified.has(a.fingerprint)),
    );
    group.lastSentAt = now;
    group.changed = false;
    for (const a of group.alerts.values()) {
      if (a.status === 'firing') {
        if (alerts.includes(a)) group.notified.add(a.fingerprint);
      } else {
        group.alerts.delete(a.fingerprint);
        group.notified.delete(a.fingerprint);
      }
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
          `notification to ${group.receiver.name} for ${d.alerts.map((a) => a.rule).join(', ')} failed: ${d.result.attempts.at(-1)?.error}`,
        );
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
      const dueGroups = [...groups].filter(([, g]) => due(g, now));
      await Promise.all(
        dueGroups.map(async ([key, g]) => {
          await send(g, now);
          if (g.alerts.size === 0) groups.delete(key);
        }),
      );
    },
    receivers: () =>
      routing.receivers.map((r) => ({
        name: r.name,
        kind: r.webhook ? 'webhook' : r.slack ? 'slack' : 'pagerduty',
        missingEnv: missing.get(r.name) ?? null,
      })),
  };
}
