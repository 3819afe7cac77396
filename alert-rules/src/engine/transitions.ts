// What an alert's state change does: it is appended to cp_alert_events (so a restart resumes the
// same states), an acknowledgement ends when the alert resolves, and a firing or resolved alert
// goes to the dispatcher (which holds it back when silenced or acknowledged). The record and the
// notification go out side by side: a page does not queue behind a store insert (the embedded
// store runs one query at a time, behind the collector's inserts). The handler resolves once the
// alert is enqueued; the record's promise is returned for the engine to await after its flush.
import type { Store } from 'collector';
import type { Dispatcher } from '../notify/dispatcher.ts';
import type { GroupAlert } from '../notify/receivers.ts';
import { unitOf } from '../rule-text.ts';
import { activeAt, notificationFor, settled } from '../state-machine.ts';
import { recordAlertEvent } from '../store/alert-events.ts';
import type { Transition } from './rule-instances.ts';
import type { Suppression } from './suppression.ts';

export function createTransitionHandler(deps: {
  client: Store['client'];
  suppression: Suppression;
  dispatcher: Dispatcher | null;
  log: (message: string) => void;
}): (transition: Transition, now: number) => Promise<{ recorded: Promise<void> }> {
  const { client, suppression, dispatcher, log } = deps;
  return async ({ instance, prev, next }, now) => {
    let recorded = Promise.resolve();
    if (next.state !== prev.state) {
      recorded = recordAlertEvent(client, {
        at: now,
        rule: instance.rule.alert,
        fingerprint: instance.fingerprint,
        state: next.state,
        previousState: prev.state,
        value: instance.value,
        labels: instance.labels,
        annotations: instance.annotations,
        activeAt: activeAt(next),
      }).catch((e: unknown) => log(`recording ${instance.rule.alert} → ${next.state} failed: ${String(e)}`));
    }
    const status = notificationFor(prev, next);
    const s = settled(next);
    // An acknowledgement lasts until the alert resolves.
    if (s.state === 'resolved' || s.state === 'inactive')
      await suppression
        .clearAck(instance.fingerprint, now)
        .catch((e: unknown) =>
          log(`clearing the acknowledgement of ${instance.rule.alert} failed: ${String(e)}`),
        );
    if (!status || !dispatcher || (s.state !== 'firing' && s.state !== 'resolved')) return { recorded };
    const alert: GroupAlert = {
      rule: instance.rule.alert,
      fingerprint: instance.fingerprint,
      status,
      labels: { ...instance.labels },
      annotations: { ...instance.annotations },
      value: instance.value,
      unit: unitOf(instance.rule, instance.labels),
      startsAt: s.firedAt,
      endsAt: s.state === 'resolved' ? s.resolvedAt : null,
    };
    dispatcher.enqueue(alert, now);
    return { recorded };
  };
}
