// Who sent what the collector refused, and why. Every refused request and every rejected item is
// logged (rate-limited: one line per sender and reason per interval, refusal-log.ts) with the
// sender — the resource's service.name when the payload was decoded, the remote address, the user
// agent — and the reason, and counted per sender, reason and signal for the self-telemetry.
// Sender names are capped (maxSenders distinct ones, then "other"), so a hostile client cannot
// grow the counters' cardinality; addresses and user agents only go to the log.
import { RateLimitedLog, type RateLimitedLogOptions } from './refusal-log.ts';

export const refusalReasons = [
  'unauthorized', // 401: missing or invalid ingest API key
  'body_too_large', // 413: over the size limit, compressed or decompressed
  'unsupported_type', // 415: content type or content encoding
  'undecodable', // 400: not protobuf/JSON OTLP, bad gzip, empty body
  'bad_request', // another 4xx
  'invalid_items', // 200 with partial_success: items that fail validation
  'busy', // 429: too many request bytes in flight
  'queue_full', // 503: the on-disk queue is full (backpressure)
  'store_failure', // 503: neither the store nor the queue took the data
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export type RefusalSignal = 'metrics' | 'traces' | 'logs' | 'other';

export const UNKNOWN_SENDER = 'unknown';
export const OTHER_SENDERS = 'other';
const MAX_NAME = 64;
const MAX_USER_AGENT = 200;
const MAX_DETAIL = 300;

export interface Refusal {
  reason: RefusalReason;
  signal: RefusalSignal;
  /** Items per resource service.name; null when the payload was not decoded (sender unknown). */
  itemsByService: Record<string, number> | null;
  /** Remote address (or "scrape <url>" for a Prometheus target). */
  address: string;
  userAgent: string | undefined;
  /** Why, in the words of the answer sent back. */
  detail: string;
}

/** Cumulative counts of one sender, reason and signal. */
export interface SenderRefusalCount {
  sender: string;
  reason: RefusalReason;
  signal: RefusalSignal;
  /** Items refused (0 when a refused request was not decoded, so its items are unknown). */
  items: number;
  /** Requests refused whole or answered with rejected items. */
  requests: number;
  /** Unix ms of the last one. */
  lastAt: number;
}

export interface SenderRefusalsOptions {
  /** Distinct sender names counted on their own (default 50); later ones count as "other". */
  maxSenders?: number;
  log?: RateLimitedLogOptions;
  now?: () => number;
}

export const signalOfUrl = (url: string): RefusalSignal => {
  const m = /^\/v1\/(metrics|traces|logs)(?:\?|$)/.exec(url);
  return (m?.[1] as RefusalSignal | undefined) ?? 'other';
};

/** Printable, trimmed and bounded; quoted by the caller. */
const printable = (text: string, max: number) =>
  text
    .replace(/[\p{C}]/gu, '?')
    .trim()
    .slice(0, max);

export class SenderRefusals {
  private readonly maxSenders: number;
  private readonly now: () => number;
  private readonly senders = new Set<string>();
  private readonly counts = new Map<string, SenderRefusalCount>();
  private readonly log: RateLimitedLog;

  constructor(options: SenderRefusalsOptions = {}) {
    this.maxSenders = options.maxSenders ?? 50;
    this.now = options.now ?? Date.now;
    this.log = new RateLimitedLog({ now: this.now, ...options.log });
  }

  /** The name a service is counted under: its own, "unknown" without one, "other" past the cap. */
  senderOf(serviceName: string | null): string {
    const name = serviceName === null ? '' : printable(serviceName, MAX_NAME);
    if (name === '') return UNKNOWN_SENDER;
    if (this.senders.has(name)) return name;
    if (this.senders.size >= this.maxSenders) return OTHER_SENDERS;
    this.senders.add(name);
    return name;
  }

  record(refusal: Refusal): void {
    const entries = Object.entries(refusal.itemsByService ?? {});
    for (const [service, items] of entries.length > 0 ? entries : [['', 0] as const]) {
      const sender = this.senderOf(refusal.itemsByService === null ? null : service);
      this.count(sender, refusal, items);
      this.log.event(`${sender}\0${refusal.reason}`, items, () => lineOf(sender, refusal, items));
    }
  }

  private count(sender: string, refusal: Refusal, items: number): void {
    const key = `${sender}\0${refusal.reason}\0${refusal.signal}`;
    const entry = this.counts.get(key) ?? {
      sender,
      reason: refusal.reason,
      signal: refusal.signal,
      items: 0,
      requests: 0,
      lastAt: 0,
    };
    entry.items += items;
    entry.requests++;
    entry.lastAt = this.now();
    this.counts.set(key, entry);
  }

  /** Every sender, reason and signal seen since start, with cumulative counts. */
  snapshot(): SenderRefusalCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  /** Logs what the rate limit left out since each last line (at shutdown). */
  flushLog(): void {
    this.log.flush((key) => {
      const [sender, reason] = key.split('\0');
      return `collector: refused more (reason=${reason} sender=${JSON.stringify(sender)})`;
    });
  }
}

function lineOf(sender: string, refusal: Refusal, items: number): string {
  const what =
    refusal.reason === 'invalid_items'
      ? `rejected ${items} invalid ${refusal.signal} items`
      : items > 0
        ? `refused a ${refusal.signal} request of ${items} items`
        : `refused a ${refusal.signal === 'other' ? '' : `${refusal.signal} `}request`;
  const service = `${JSON.stringify(sender)}${refusal.itemsByService === null ? ' (payload not decoded)' : ''}`;
  return (
    `collector: ${what} (reason=${refusal.reason} sender=${service}` +
    ` address=${printable(refusal.address, MAX_NAME)}` +
    ` user_agent=${JSON.stringify(printable(refusal.userAgent ?? '', MAX_USER_AGENT))}):` +
    ` ${JSON.stringify(printable(refusal.detail, MAX_DETAIL))}`
  );
}

/** The reason of a refusal answered with this HTTP status (429 and 503 are told apart by the caller). */
export function reasonOfStatus(status: number): RefusalReason {
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_type';
  if (status === 400) return 'undecodable';
  if (status === 429) return 'busy';
  if (status >= 500) return 'store_failure';
  return 'bad_request';
}

/** The request-side facts of a refusal: signal (from the path), remote address, user agent. */
export function requestOrigin(request: {
  url: string;
  /** Undefined once the client has closed its connection (it gave up waiting, then retries). */
  ip: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}): Pick<Refusal, 'signal' | 'address' | 'userAgent'> {
  const ua = request.headers['user-agent'];
  return {
    signal: signalOfUrl(request.url),
    address: request.ip ?? 'disconnected',
    userAgent: typeof ua === 'string' ? ua : undefined,
  };
}
