// "Send a test notification": one clearly-marked alert through a receiver's own code (the same
// payload builder and POST as a real alert), once, and the receiver's answer as it came back —
// HTTP status and the start of its body, or the network error. PagerDuty gets the trigger and then
// its resolve (same dedup_key), so the test leaves no open incident.
import type { GroupAlert, Receiver } from './receivers.ts';

export const TEST_ALERT_NAME = 'TestNotification';

export interface TestAnswer {
  ok: boolean;
  /** HTTP status, or null when no answer came (refused, timed out, DNS). */
  httpStatus: number | null;
  /** The first 200 characters of the answer's body. */
  body: string;
  error: string | null;
}

export function testAlert(now: number, by: string): GroupAlert {
  return {
    rule: TEST_ALERT_NAME,
    fingerprint: `test-${now.toString(16)}`,
    status: 'firing',
    labels: { alertname: TEST_ALERT_NAME, severity: 'info', test: 'true' },
    annotations: {
      summary: `TEST notification sent by ${by} from the dashboard — not a real alert, nothing to do`,
    },
    value: null,
    startsAt: now,
    endsAt: null,
  };
}

export async function sendTestNotification(
  receiver: Receiver,
  options: { externalUrl: string; by: string; now?: number; timeoutMs?: number },
): Promise<TestAnswer> {
  const now = options.now ?? Date.now();
  const alert = testAlert(now, options.by);
  const delivery = { attempts: 1, timeoutMs: options.timeoutMs ?? 10_000 };
  const notification = {
    groupLabels: { alertname: TEST_ALERT_NAME },
    alerts: [alert],
    externalUrl: options.externalUrl,
  };
  const [sent] = await receiver.send(notification, delivery);
  const attempt = sent?.result.attempts[0];
  if (receiver.kind === 'pagerduty' && sent?.result.ok)
    await receiver
      .send({ ...notification, alerts: [{ ...alert, status: 'resolved', endsAt: now }] }, delivery)
      .catch(() => undefined);
  return {
    ok: sent?.result.ok ?? false,
    httpStatus: attempt?.httpStatus ?? null,
    body: attempt?.body ?? '',
    error: attempt ? attempt.error : 'nothing was sent',
  };
}
