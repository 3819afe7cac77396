// Alertmanager's dispatcher, in-process: each firing/resolved alert is routed to receivers and
// put in an aggregation group (route × group_by label values). A group is sent when it is due —
// group_wait after it appears (default 0: at once), then at most every group_interval while it
// changes, and again every repeat_interval while it fires. Timing is checked on each evaluation
// tick (`flush(now)`), so tests that drive time drive notifications too. A silenced or
// acknowledged firing alert is held back (a "suppressed" row in the delivery log says so); once
// nothing holds it and it was never announced, its group is due again, so it goes out. As in
// Alertmanager (whose notification log records only successful sends), a delivery whose attempts
// all failed leaves its group due: it goes out again after group_interval, a resolve included.
// Receivers added at run time (the dashboard's) sit beside the file's route tree (added-receivers.ts).
import type { Store } from 'collector';
import { recordNotification } from '../store/alert-events.ts';
import { ADDED_ROUTE_ID, type AddedReceiver, addedRoutesFor } from './added-receivers.ts';
import { type AggregationGroup, isDue, keepOwed, newGroup, takeSendable } from './aggregation-group.ts';
import { buildFileReceivers, type ReceiverInfo } from './file-receivers.ts';
import type { GroupAlert, Receiver } from './receivers.ts';
import { isInhibited, matchRoutes, type ResolvedRoute, type RoutingConfig } from './routing-config.ts';
import type { DeliveryOptions } from './webhook.ts';

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

export type { AddedReceiver, ReceiverInfo };

export interface Dispatcher {
  enqueue(alert: GroupAlert, now: number): void;
  flush(now: number): Promise<void>;
  /** Resolves once no delivery is in flight (before the store closes). */
  settled(): Promise<void>;
  /** Receivers that could be built, and those skipped for a missing environment variable. */
  receivers(): ReceiverInfo[];
  /**
   * Replaces the receivers added at run time (the file's stay). Takes effect for the next alert;
   * pending groups of a changed receiver send with its new settings, those of a removed one are dropped.
   */
  setAddedReceivers(added: AddedReceiver[]): void;
  /** A switched-on receiver by name (the file's first), for a test notification. */
  receiverNamed(name: string): Receiver | undefined;
  /** The switched-on receivers an alert with these labels is routed to; empty: nothing would be sent. */
  receiversFor(labels: Record<string, string>): string[];
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { client, routing, log } = options;
  const fileReceivers = buildFileReceivers(routing, options.env, log);
  const receivers = fileReceivers.byName;
  let added = new Map<string, AddedReceiver>();
  const groups = new Map<string, AggregationGroup>();
  /** Groups whose delivery is still going on (flush waits for it only up to flushWaitMs). */
  const sending = new Map<AggregationGroup, Promise<void>>();
  const flushWaitMs = options.flushWaitMs ?? 2_000;
  /** Every alert firing now, as inhibition sources. */
  const firing = new Map<string, GroupAlert>();
  const muted = (a: GroupAlert) =>
    a.status === 'firing' && isInhibited(a, firing.values(), routing.inhibit_rules);

  const suppressedReason = (a: GroupAlert, now: number) => options.suppressed?.(a, now) ?? null;

  /** The routes an alert with these labels takes (the file's, then the added), to switched-on receivers. */
  const routesFor = (labels: Record<string, string>): { route: ResolvedRoute; receiver: Receiver }[] => [
    ...matchRoutes(routing.route, labels).flatMap((route) => {
      const receiver = receivers.get(route.receiver);
      return receiver ? [{ route, receiver }] : [];
    }),
    ...addedRoutesFor(added.values(), labels),
  ];

  const holdReason = (now: number) => (a: GroupAlert) => (muted(a) ? 'inhibited' : suppressedReason(a, now));

  async function send(group: AggregationGroup, now: number): Promise<void> {
    // A muted or suppressed alert is left out; if it was announced, its resolve still goes out later.
    const { alerts, held, announced } = takeSendable(group, now, holdReason(now));
    for (const [a, why] of held) {
      if (why === 'inhibited') continue; // inhibition is routing, not a person's decision: not logged
      await record(group, a, { at: now, attempt: 0, httpStatus: null, error: null, suppressed: why });
    }
    if (alerts.length === 0) return;
    const deliveries = await group.receiver.send(
      { groupLabels: group.groupLabels, alerts, externalUrl: options.externalUrl },
      {
        ...options.delivery,
        onAttempt: async (attempt) => {
          for (const a of alerts) await record(group, a, attempt);
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

  /** One row of the delivery log: an attempt, or a notification held back (`suppressed`). */
  const record = (
    group: AggregationGroup,
    a: GroupAlert,
    row: {
      at: number;
      attempt: number;
      httpStatus: number | null;
      error: string | null;
      suppressed?: string;
    },
  ) =>
    recordNotification(client, {
      ...row,
      receiver: group.receiver.name,
      rule: a.rule,
      fingerprint: a.fingerprint,
      status: a.status,
    }).catch((e: unknown) => log(`recording a notification failed: ${String(e)}`));

  return {
    enqueue(alert, now) {
      if (alert.status === 'firing') firing.set(alert.fingerprint, alert);
      else if (firing.delete(alert.fingerprint)) {
        // A source going away may unmute alerts nobody was told about yet.
        for (const g of groups.values())
          if ([...g.alerts.values()].some((a) => a.status === 'firing' && !g.notified.has(a.fingerprint)))
            g.changed = true;
      }
      for (const { route, receiver } of routesFor(alert.labels)) {
        const groupLabels = Object.fromEntries(
          route.groupBy.filter((k) => alert.labels[k] !== undefined).map((k) => [k, alert.labels[k]!]),
        );
        const key = `${route.id}\u0000${route.receiver}\u0000${JSON.stringify(groupLabels)}`;
        let group = groups.get(key);
        if (!group) {
          group = newGroup(route, receiver, groupLabels, now);
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
      const dueGroups = [...groups].filter(([, g]) => !sending.has(g) && isDue(g, now));
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
      if (sends.length > 0) await waitAtMost(Promise.all(sends), flushWaitMs);
    },
    async settled() {
      while (sending.size > 0) await Promise.all(sending.values());
    },
    receiversFor: (labels) => [...new Set(routesFor(labels).map((r) => r.receiver.name))],
    receivers: () => fileReceivers.list(added.values()),
    receiverNamed: (name) => receivers.get(name) ?? added.get(name)?.receiver,
    setAddedReceivers(next) {
      added = new Map(next.map((a) => [a.receiver.name, a]));
      for (const [key, g] of groups) {
        if (g.route.id !== ADDED_ROUTE_ID) continue;
        const now = added.get(g.receiver.name);
        if (now) g.receiver = now.receiver;
        else groups.delete(key);
      }
    },
  };
}

/** Waits for `work`, but no longer than `ms` (it goes on in the background). */
async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
