// Sends an alert's transition to a webhook receiver and logs every delivery attempt to
// cp_notifications, so the dashboard can show what was sent, when, and what came back.
import type { Store } from 'collector';
import type { SettledState } from '../state-machine.ts';
import { recordNotification } from '../store/alert-events.ts';
import { buildWebhookPayload, type DeliveryOptions, type DeliveryResult, sendWebhook } from './webhook.ts';

export interface WebhookNotifierOptions {
  client: Store['client'];
  url: string;
  receiver: string;
  /** Base URL of the dashboard, without a trailing slash. */
  externalUrl: string;
  delivery?: Omit<DeliveryOptions, 'onAttempt'> | undefined;
  log: (message: string) => void;
}

export interface AlertToNotify {
  rule: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: SettledState;
}

export interface WebhookNotifier {
  notify(alert: AlertToNotify, status: 'firing' | 'resolved'): Promise<DeliveryResult | null>;
}

export function createWebhookNotifier(options: WebhookNotifierOptions): WebhookNotifier {
  const { client, receiver, externalUrl, log } = options;
  return {
    async notify(alert, status) {
      const s = alert.state;
      if (s.state !== 'firing' && s.state !== 'resolved') return null;
      const payload = buildWebhookPayload({
        receiver,
        externalUrl,
        groupLabels: { alertname: alert.rule },
        alerts: [
          {
            status,
            labels: alert.labels,
            annotations: alert.annotations,
            startsAt: s.firedAt,
            endsAt: s.state === 'resolved' ? s.resolvedAt : null,
            generatorURL: `${externalUrl}/alerts?rule=${encodeURIComponent(alert.rule)}`,
            fingerprint: alert.fingerprint,
          },
        ],
      });
      const result = await sendWebhook(options.url, payload, {
        ...options.delivery,
        onAttempt: (attempt) =>
          recordNotification(client, {
            at: attempt.at,
            receiver,
            rule: alert.rule,
            fingerprint: alert.fingerprint,
            status,
            attempt: attempt.attempt,
            httpStatus: attempt.httpStatus,
            error: attempt.error,
          }).catch((e: unknown) => log(`recording a notification attempt failed: ${String(e)}`)),
      });
      if (!result.ok)
        log(`${status} notification for ${alert.rule} failed: ${result.attempts.at(-1)?.error}`);
      return result;
    },
  };
}
