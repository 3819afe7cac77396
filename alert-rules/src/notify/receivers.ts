// Receivers: how one notification (a group of alerts) is put on the wire for each kind, and the
// registry of kinds (receiverKinds: build, where the file's secret lives, what may be shown of it).
// webhook → Alertmanager v4 payload; Slack → incoming-webhook message with blocks (summary, value,
// runbook and dashboard links); PagerDuty → Events API v2, one trigger/resolve per alert with a
// dedup_key stable across restarts (the alert's fingerprint), so on-call is never paged twice.
import { formatValue } from '../units.ts';
import type { ReceiverKind } from './receiver-kind.ts';
import type { ReceiverConfig, ReceiverSettings } from './routing-config.ts';
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
  kind: ReceiverKind;
  /** Where it sends, masked: a URL's host, the last 4 characters of a routing key. Never the secret. */
  hint: string;
  /** One delivery per alert for PagerDuty, one per group otherwise; each with its attempts. */
  send(
    n: GroupNotification,
    delivery: DeliveryOptions,
  ): Promise<{ alerts: GroupAlert[]; result: DeliveryResult }[]>;
}

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

const alertUrl = (externalUrl: string, a: GroupAlert) =>
  `${externalUrl}/alerts?rule=${encodeURIComponent(a.rule)}&fingerprint=${a.fingerprint}`;

/** A receiver with its secret in hand (the dashboard's stored receivers), rather than by variable name. */
export type ReceiverSpec =
  | { name: string; kind: 'webhook'; url: string }
  | { name: string; kind: 'slack'; url: string; channel?: string | undefined }
  | { name: string; kind: 'pagerduty'; routingKey: string; eventsUrl?: string | undefined };

type SpecOf<K extends ReceiverKind> = Extract<ReceiverSpec, { kind: K }>;

/** What a kind of receiver is: one entry per kind, so a new kind is one entry here. */
interface ReceiverKindEntry<K extends ReceiverKind> {
  /** The receiver, its secret in hand. */
  build(spec: SpecOf<K>): Receiver;
  /** The environment variable holding the secret named by the routing file's settings. */
  secretEnv(settings: ReceiverSettings[K]): string;
  /** The spec from the routing file's settings and the environment (its secret set). */
  fromEnv(name: string, settings: ReceiverSettings[K], env: Record<string, string | undefined>): SpecOf<K>;
  /** What may be shown of the secret. */
  mask(secret: string): string;
}

/** A URL's host may be shown (its path and query often carry the token). */
const maskUrl = (secret: string) => {
  try {
    return `${new URL(secret).host}/…`;
  } catch {
    return 'not a URL';
  }
};

const receiverKinds: { [K in ReceiverKind]: ReceiverKindEntry<K> } = {
  webhook: {
    build: (spec) => webhookReceiver(spec.name, spec.url),
    secretEnv: (settings) => settings.url_env,
    fromEnv: (name, settings, env) => ({ name, kind: 'webhook', url: env[settings.url_env] ?? '' }),
    mask: maskUrl,
  },
  slack: {
    build: (spec) => slackReceiver(spec.name, spec.url, spec.channel),
    secretEnv: (settings) => settings.url_env,
    fromEnv: (name, settings, env) => ({
      name,
      kind: 'slack',
      url: env[settings.url_env] ?? '',
      channel: settings.channel,
    }),
    mask: maskUrl,
  },
  pagerduty: {
    build: (spec) => pagerDutyReceiver(spec.name, spec.routingKey, spec.eventsUrl || pagerDutyEventsUrl),
    secretEnv: (settings) => settings.routing_key_env,
    fromEnv: (name, settings, env) => ({
      name,
      kind: 'pagerduty',
      routingKey: env[settings.routing_key_env] ?? '',
      eventsUrl: (settings.url_env && env[settings.url_env]) || undefined,
    }),
    mask: (secret) => `key …${secret.slice(-4)}`,
  },
};

/** The entry of a kind, typed for a value of that kind (TypeScript cannot correlate the union itself). */
const entryOf = <K extends ReceiverKind>(kind: K) =>
  receiverKinds[kind] as unknown as ReceiverKindEntry<ReceiverKind>;

export function buildReceiver(spec: ReceiverSpec): Receiver {
  const entry = receiverKinds[spec.kind] as ReceiverKindEntry<ReceiverKind> | undefined;
  if (!entry) throw new RangeError(`unknown receiver kind ${String(spec.kind)}`);
  return entry.build(spec as never);
}

/** What may be shown of a secret: a URL's host, a routing key's last 4. */
export const maskedHint = (kind: ReceiverKind, secret: string): string => entryOf(kind).mask(secret);

/** The environment variable holding a file receiver's secret (its URL or routing key). */
export const secretEnvOf = (config: ReceiverConfig): string =>
  entryOf(config.kind).secretEnv(config.settings as never);

/** Builds a receiver, reading its secret from `env` by name; the variable's name when it is unset. */
export function createReceiver(
  config: ReceiverConfig,
  env: Record<string, string | undefined>,
): { receiver: Receiver } | { missing: string } {
  const entry = entryOf(config.kind);
  const secretEnv = entry.secretEnv(config.settings as never);
  if (!env[secretEnv]) return { missing: secretEnv };
  return { receiver: entry.build(entry.fromEnv(config.name, config.settings as never, env) as never) };
}

function webhookReceiver(name: string, url: string): Receiver {
  return {
    name,
    kind: 'webhook',
    hint: maskedHint('webhook', url),
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
    hint: maskedHint('slack', url),
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
    hint: maskedHint('pagerduty', routingKey),
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
