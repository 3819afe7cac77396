// Receivers: how one notification (a group of alerts) is put on the wire for each kind.
// webhook → Alertmanager v4 payload; Slack → incoming-webhook message with blocks (summary, value,
// runbook and dashboard links); PagerDuty → Events API v2, one trigger/resolve per alert with a
// dedup_key stable across restarts (the alert's fingerprint), so on-call is never paged twice.
import { formatValue } from '../units.ts';
import type { ReceiverConfig } from './routing-config.ts';
import { buildWebhookPayload, type DeliveryOptions, type DeliveryResult, postJson } from './webhook.ts';

export interface GroupAlert {
  rule: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  /** The rule's unit (OTel/UCUM): payloads carry the value formatted in it. */
  unit?: string | undefined;
  startsAt: number;
  endsAt: number | null;
}

export interface GroupNotification {
  groupLabels: Record<string, string>;
  alerts: GroupAlert[];
  externalUrl: string;
}

export interface Receiver {
  name: string;
  kind: 'webhook' | 'slack' | 'pagerduty';
  /** One delivery per alert for PagerDuty, one per group otherwise; each with its attempts. */
  send(
    n: GroupNotification,
    delivery: DeliveryOptions,
  ): Promise<{ alerts: GroupAlert[]; result: DeliveryResult }[]>;
}

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

const alertUrl = (externalUrl: string, a: GroupAlert) =>
  `${externalUrl}/alerts?rule=${encodeURIComponent(a.rule)}&fingerprint=${a.fingerprint}`;

/** Builds a receiver, reading its secrets from `env` by name; null (and why) when one is missing. */
export function createReceiver(
  config: ReceiverConfig,
  env: Record<string, string | undefined>,
): { receiver: Receiver } | { missing: string } {
  if (config.webhook) {
    const url = env[config.webhook.url_env];
    if (!url) return { missing: config.webhook.url_env };
    return { receiver: webhookReceiver(config.name, url) };
  }
  if (config.slack) {
    const url = env[config.slack.url_env];
    if (!url) return { missing: config.slack.url_env };
    return { receiver: slackReceiver(config.name, url, config.slack.channel) };
  }
  const pd = config.pagerduty!;
  const key = env[pd.routing_key_env];
  if (!key) return { missing: pd.routing_key_env };
  return {
    receiver: pagerDutyReceiver(config.name, key, (pd.url_env && env[pd.url_env]) || pagerDutyEventsUrl),
  };
}

function webhookReceiver(name: string, url: string): Receiver {
  return {
    name,
    kind: 'webhook',
    async send(n, delivery) {
      const payload = buildWebhookPayload({
        receiver: name,
        externalUrl: n.externalUrl,
        groupLabels: n.groupLabels,
        alerts: n.alerts.map((a) => ({
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          generatorURL: `${n.externalUrl}/alerts?rule=${encodeURIComponent(a.rule)}`,
          fingerprint: a.fingerprint,
          value: a.value,
          unit: a.unit,
        })),
      });
      return [{ alerts: n.alerts, result: await postJson(url, payload, delivery) }];
    },
  };
}

const mrkdwn = (text: string) =>
  text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

export function slackMessage(n: GroupNotification, channel?: string): Record<string, unknown> {
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const status = firing.length > 0 ? `FIRING:${firing.length}` : 'RESOLVED';
  const title = `[${status}] ${Object.values(n.groupLabels).join(' ')}`.trim();
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } }];
  for (const a of n.alerts) {
    const summary = a.annotations.summary ?? a.rule;
    const links = [
      a.annotations.runbook_url ? `<${a.annotations.runbook_url}|Runbook>` : null,
      `<${alertUrl(n.externalUrl, a)}|Dashboard>`,
    ].filter(Boolean);
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${a.status === 'firing' ? ':red_circle:' : ':large_green_circle:'} *${mrkdwn(summary)}*`,
        },
        fields: [
          { type: 'mrkdwn', text: `*Value*\n${mrkdwn(formatValue(a.value, a.unit))}` },
          {
            type: 'mrkdwn',
            text: `*Labels*\n${mrkdwn(
              Object.entries(a.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(', '),
            )}`,
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] },
    );
  }
  return { ...(channel ? { channel } : {}), text: title, blocks: blocks.slice(0, 50) };
}

function slackReceiver(name: string, url: string, channel?: string): Receiver {
  return {
    name,
    kind: 'slack',
    async send(n, delivery) {
      return [{ alerts: n.alerts, result: await postJson(url, slackMessage(n, channel), delivery) }];
    },
  };
}

const pdSeverities = new Set(['critical', 'error', 'warning', 'info']);
const pdSeverity = (s: string | undefined) =>
  s === 'page' ? 'critical' : s === 'ticket' ? 'warning' : s && pdSeverities.has(s) ? s : 'error';

export function pagerDutyEvent(
  routingKey: string,
  a: GroupAlert,
  externalUrl: string,
): Record<string, unknown> {
  const dedupKey = `alert-rules/${a.fingerprint}`;
  if (a.status === 'resolved')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: (a.annotations.summary ?? a.rule).slice(0, 1024),
      source: a.labels.service ?? 'alert-rules',
      severity: pdSeverity(a.labels.severity),
      timestamp: new Date(a.startsAt).toISOString(),
      component: a.labels.service,
      class: a.rule,
      // The value as people read it, in the rule's unit; the raw number and its unit for machines.
      custom_details: {
        value: formatValue(a.value, a.unit),
        raw_value: a.value,
        unit: a.unit ?? null,
        labels: a.labels,
        annotations: a.annotations,
      },
    },
    links: [
      { href: alertUrl(externalUrl, a), text: 'Dashboard' },
      ...(a.annotations.runbook_url ? [{ href: a.annotations.runbook_url, text: 'Runbook' }] : []),
    ],
  };
}

function pagerDutyReceiver(name: string, routingKey: string, url: string): Receiver {
  return {
    name,
    kind: 'pagerduty',
    async send(n, delivery) {
      const out: { alerts: GroupAlert[]; result: DeliveryResult }[] = [];
      for (const a of n.alerts)
        out.push({
          alerts: [a],
          result: await postJson(url, pagerDutyEvent(routingKey, a, n.externalUrl), delivery),
        });
      return out;
    },
  };
}
