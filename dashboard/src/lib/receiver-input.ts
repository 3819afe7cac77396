// What an admin may enter for an alert receiver (the Receivers page and the receivers router share
// it): a name, a kind, the secret — a webhook URL (http or https), a Slack incoming-webhook URL
// (https only) or a PagerDuty Events API v2 routing key (32 characters) — and non-secret settings.
// On an edit the secret may be left out: the stored one is kept (the kind must then stay the same).
import type { ReceiverKind } from 'alert-rules/model';
import { z } from 'zod';

export type ReceiverKindName = ReceiverKind;
/**
 * The engine's kinds (a type import: the browser's code takes no values from the packages); the
 * labels below must name every one of them, so a new kind fails the typecheck here until it is added.
 */
export const RECEIVER_KINDS = ['webhook', 'slack', 'pagerduty'] as const satisfies readonly ReceiverKind[];

export const RECEIVER_KIND_LABELS = {
  webhook: 'Webhook (Alertmanager v4 JSON)',
  slack: 'Slack incoming webhook',
  pagerduty: 'PagerDuty Events API v2',
} as const satisfies Record<ReceiverKindName, string>;

const url = (protocols: RegExp, what: string) =>
  z
    .string()
    .trim()
    .max(2048, 'a URL is at most 2048 characters')
    .pipe(z.url({ protocol: protocols, error: what }));

const webhookUrl = url(/^https?$/, 'a webhook URL starts with http:// or https://');
const slackUrl = url(/^https$/, 'a Slack incoming-webhook URL starts with https://');
/** PagerDuty's integration (routing) key: 32 characters. */
const routingKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{32}$/, 'a PagerDuty routing key is 32 letters or digits');

export const receiverNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a receiver name is 1–64 letters, digits or . _ -');

/** Which alerts it gets: all, or those whose `severity` label is this value. */
const severity = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'a severity is 1–32 letters, digits, _ or -')
  .nullable()
  .default(null);

const channel = z
  .string()
  .trim()
  .regex(/^[#@]?[A-Za-z0-9._-]{1,80}$/, 'a Slack channel such as #oncall')
  .optional();

/** `required`: the secret must be given (adding); otherwise it may be left out (editing). */
export function receiverInputSchema(required: boolean) {
  const secret = <T extends z.ZodType>(schema: T) => (required ? schema : schema.optional());
  return z.discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('webhook'),
        name: receiverNameSchema,
        severity,
        url: secret(webhookUrl),
      }),
      z.strictObject({
        kind: z.literal('slack'),
        name: receiverNameSchema,
        severity,
        url: secret(slackUrl),
        channel,
      }),
      z.strictObject({
        kind: z.literal('pagerduty'),
        name: receiverNameSchema,
        severity,
        routingKey: secret(routingKey),
      }),
    ],
    { error: `kind must be one of ${RECEIVER_KINDS.join(', ')}` },
  );
}

export const receiverAddSchema = receiverInputSchema(true);
export const receiverEditSchema = receiverInputSchema(false);
export type ReceiverAddInput = z.output<typeof receiverAddSchema>;
export type ReceiverEditInput = z.output<typeof receiverEditSchema>;

export const receiverIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{16}$/, 'a receiver id is 16 letters or digits');

/** Which receiver to test: one added in the UI (by id) or one of the routing file's (by name). */
export const receiverRefSchema = z.union([
  z.strictObject({ id: receiverIdSchema }),
  z.strictObject({ file: receiverNameSchema }),
]);
export type ReceiverRef = z.output<typeof receiverRefSchema>;

/** Where a receiver comes from, as the Receivers page shows it. */
export type ReceiverSource =
  | { type: 'file'; path: string; variable: string; variableSet: boolean }
  | { type: 'ui'; createdBy: string; createdAt: number; updatedBy: string; updatedAt: number };

/** A receiver as the UI sees it: never its secret, only a masked hint. */
export interface ReceiverView {
  /** Stored receivers only; null for the routing file's. */
  id: string | null;
  name: string;
  kind: string;
  hint: string | null;
  severity: string | null;
  channel: string | null;
  source: ReceiverSource;
  /** Why it cannot send (its variable unset, its secret unreadable), or null. */
  problem: string | null;
}

/** The receiver's answer to a test notification. */
export interface ReceiverTestAnswer {
  ok: boolean;
  httpStatus: number | null;
  body: string;
  error: string | null;
}
