// Alertmanager's webhook (payload version 4), POSTed as JSON, retried with exponential backoff;
// a 429 or 503 with Retry-After waits as long as the receiver asks (up to a cap).
import { formatValue } from '../units.ts';

/** Alertmanager's zero time: what endsAt says while an alert is firing. */
export const zeroTime = '0001-01-01T00:00:00Z';

export type NotificationStatus = 'firing' | 'resolved';

export interface WebhookAlert {
  status: NotificationStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  /**
   * Beyond Alertmanager's v4 fields (as Grafana adds `valueString`): the evaluated value, raw and
   * in the rule's unit ("251 ms"); null / "no data" when there was none.
   */
  value?: number | null;
  valueString?: string;
}

export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: NotificationStatus;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

export interface NotifiedAlert {
  status: NotificationStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Unix ms the alert started firing. */
  startsAt: number;
  /** Unix ms it resolved; null while firing. */
  endsAt: number | null;
  generatorURL: string;
  fingerprint: string;
  /** The evaluated value and the rule's unit; omitted, the payload carries no value. */
  value?: number | null | undefined;
  unit?: string | undefined;
}

export interface PayloadInput {
  receiver: string;
  externalUrl: string;
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function buildWebhookPayload(input: PayloadInput): WebhookPayload {
  const groupLabelText = Object.keys(input.groupLabels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(input.groupLabels[k])}`)
    .join(',');
  return {
    version: '4',
    groupKey: `{}:{${groupLabelText}}`,
    truncatedAlerts: 0,
    status: input.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: input.receiver,
    groupLabels: input.groupLabels,
    commonLabels: common(input.alerts.map((a) => a.labels)),
    commonAnnotations: common(input.alerts.map((a) => a.annotations)),
    externalURL: input.externalUrl,
    alerts: input.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: iso(a.startsAt),
      endsAt: a.endsAt === null ? zeroTime : iso(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
      ...(a.value === undefined ? {} : { value: a.value, valueString: formatValue(a.value, a.unit) }),
    })),
  };
}

/** The pairs every map shares. */
function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

export interface DeliveryAttempt {
  attempt: number;
  at: number;
  ok: boolean;
  /** HTTP status, or null when no response came back. */
  httpStatus: number | null;
  error: string | null;
  /** The first 200 characters of the receiver's answer (a test notification shows them). */
  body?: string;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: DeliveryAttempt[];
}

export interface DeliveryOptions {
  attempts?: number;
  /** First retry delay; doubles each time. */
  baseDelayMs?: number;
  /** Cap on any one wait, Retry-After included. */
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Called after each attempt, before any retry (the engine logs it to cp_notifications). */
  onAttempt?: (attempt: DeliveryAttempt) => void | Promise<void>;
}

export function sendWebhook(
  url: string,
  payload: WebhookPayload,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  return postJson(url, payload, options);
}

/** POSTs a JSON body with the retry policy every receiver shares (webhook, Slack, PagerDuty). */
export async function postJson(
  url: string,
  payload: unknown,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const { attempts = 3, baseDelayMs = 500, maxDelayMs = 30_000, timeoutMs = 10_000 } = options;
  const made: DeliveryAttempt[] = [];
  const body = JSON.stringify(payload);
  for (let n = 1; n <= attempts; n++) {
    const at = Date.now();
    let retryAfterMs: number | null = null;
    let attempt: DeliveryAttempt;
    let retryable = true;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'carsuggester-alert-rules' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = await response.text().catch(() => '');
      const ok = response.ok;
      retryable = !ok && (response.status >= 500 || response.status === 429 || response.status === 408);
      if (response.status === 429 || response.status === 503)
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      attempt = {
        attempt: n,
        at,
        ok,
        httpStatus: response.status,
        error: ok ? null : `HTTP ${response.status} ${response.statusText}`.trim(),
        body: answer.slice(0, 200),
      };
    } catch (error) {
      attempt = { attempt: n, at, ok: false, httpStatus: null, error: errorText(error) };
    }
    made.push(attempt);
    await options.onAttempt?.(attempt);
    if (attempt.ok) return { ok: true, attempts: made };
    if (!retryable || n === attempts) break;
    await sleep(Math.min(retryAfterMs ?? baseDelayMs * 2 ** (n - 1), maxDelayMs));
  }
  return { ok: false, attempts: made };
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function errorText(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e.message ?? error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
