// An alert instance as the dashboard and the API show it: its state (and what a no-data or error
// state holds), value, labels, the last evaluation, and what keeps it quiet or who would be told.
import type { Dispatcher } from '../notify/dispatcher.ts';
import { activeAt } from '../state-machine.ts';
import type { ActiveAlert } from './engine-types.ts';
import type { Instance } from './rule-instances.ts';
import type { Suppression } from './suppression.ts';

export function activeAlertOf(
  i: Instance,
  suppression: Suppression,
  dispatcher: Dispatcher | null,
  now: number,
): ActiveAlert {
  return {
    rule: i.rule.alert,
    group: i.rule.group,
    fingerprint: i.fingerprint,
    state: i.state.state,
    held: i.state.state === 'nodata' || i.state.state === 'error' ? i.state.held.state : null,
    value: i.value,
    activeAt: activeAt(i.state),
    labels: { ...i.labels },
    annotations: { ...i.annotations },
    lastEvalAt: i.lastEvalAt,
    lastError: i.lastError,
    lastEvalDurationMs: i.lastEvalDurationMs,
    warnings: [...i.warnings],
    silencedBy: suppression.silencedBy(i.labels, i.lastEvalAt ?? now),
    acknowledged: suppression.ackOf(i.fingerprint),
    receivers: dispatcher?.receiversFor(i.labels) ?? [],
  };
}
