// Receivers added at run time (the dashboard's stored ones), beside the routing file's tree: each
// gets every alert, or only those of one severity, grouped by alertname with the default timing.
import type { Receiver } from './receivers.ts';
import { type ResolvedRoute, routeDefaults } from './routing-config.ts';

/** A receiver added at run time: it gets every alert, or only those whose `severity` label is this. */
export interface AddedReceiver {
  receiver: Receiver;
  severity: string | null;
}

/** The route id of added receivers' aggregation groups (the file's are "0", "0.1", …). */
export const ADDED_ROUTE_ID = 'added';

const addedRoute = (name: string): ResolvedRoute => ({
  id: ADDED_ROUTE_ID,
  receiver: name,
  groupBy: routeDefaults.group_by,
  groupWait: routeDefaults.group_wait,
  groupInterval: routeDefaults.group_interval,
  repeatInterval: routeDefaults.repeat_interval,
});

/** The added receivers an alert with these labels goes to, each with its route. */
export function addedRoutesFor(
  added: Iterable<AddedReceiver>,
  labels: Record<string, string>,
): { route: ResolvedRoute; receiver: Receiver }[] {
  return [...added]
    .filter((a) => a.severity === null || labels.severity === a.severity)
    .map((a) => ({ route: addedRoute(a.receiver.name), receiver: a.receiver }));
}
