import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildWebhookPayload,
  parseRetryAfter,
  sendWebhook,
  type WebhookPayload,
} from '../../src/notify/webhook.ts';

const t = Date.UTC(2025, 0, 2, 3, 4, 5);

const payload = buildWebhookPayload({
  receiver: 'team-web',
  externalUrl: 'http://dash.test',
  groupLabels: { alertname: 'HighLatency' },
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', service: 'api', severity: 'page' },
      annotations: { summary: 'slow', runbook_url: 'r' },
      startsAt: t,
      endsAt: null,
      generatorURL: 'http://dash.test/alerts?rule=HighLatency',
      fingerprint: '0123456789abcdef',
    },
    {
      status: 'resolved',
      labels: { alertname: 'HighLatency', service: 'web', severity: 'page' },
      annotations: { summary: 'slow too', runbook_url: 'r' },
      startsAt: t,
      endsAt: t + 60_000,
      generatorURL: 'http://dash.test/alerts?rule=HighLatency',
      fingerprint: 'fedcba9876543210',
    },
  ],
});

describe('buildWebhookPayload', () => {
  it('has the Alertmanager v4 shape', () => {
    expect(payload).toEqual({
      version: '4',
      groupKey: '{}:{alertname="HighLatency"}',
      truncatedAlerts: 0,
      status: 'firing', // firing while any alert in the group fires
      receiver: 'team-web',
      groupLabels: { alertname: 'HighLatency' },
      commonLabels: { alertname: 'HighLatency', severity: 'page' },
      commonAnnotations: { runbook_url: 'r' },
      externalURL: 'http://dash.test',
      alerts: [
        expect.objectContaining({
          status: 'firing',
          startsAt: '2025-01-02T03:04:05.000Z',
          endsAt: '0001-01-01T00:00:00Z',
        }),
        expect.objectContaining({
          status: 'resolved',
          endsAt: '2025-01-02T03:05:05.000Z',
          fingerprint: 'fedcba9876543210',
        }),
      ],
    });
  });
});

describe('sendWebhook', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A receiver answering each request with the next reply in the list. */
  async function receiver(
    replies: ((res: ServerResponse) => void)[],
  ): Promise<{ url: string; bodies: WebhookPayload[] }> {
    const bodies: WebhookPayload[] = [];
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(JSON.parse(body) as WebhookPayload);
        (replies[bodies.length - 1] ?? ((r: ServerResponse) => r.writeHead(200).end()))(res);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies };
  }

  it('POSTs the payload as JSON and retries 5xx with backoff', async () => {
    const { url, bodies } = await receiver([(r) => r.writeHead(500).end(), (r) => r.writeHead(502).end()]);
    const logged: unknown[] = [];
    const result = await sendWebhook(url, payload, { baseDelayMs: 5, onAttempt: (a) => void logged.push(a) });
    expect(result.ok).toBe(true);
    expect(result.attempts.map((a) => [a.attempt, a.httpStatus, a.ok])).toEqual([
      [1, 500, false],
      [2, 502, false],
      [3, 200, true],
    ]);
    expect(logged).toEqual(result.attempts);
    expect(bodies[2]).toEqual(payload);
  });

  it('waits as long as a 429 Retry-After asks, up to the cap', async () => {
    const { url } = await receiver([(r) => r.writeHead(429, { 'retry-after': '1' }).end()]);
    const started = Date.now();
    const result = await sendWebhook(url, payload, { baseDelayMs: 1 });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    const capped = await receiver([(r) => r.writeHead(429, { 'retry-after': '3600' }).end()]);
    const again = Date.now();
    expect((await sendWebhook(capped.url, payload, { maxDelayMs: 20 })).ok).toBe(true);
    expect(Date.now() - again).toBeLessThan(2000);
  });

  it('gives up after 3 attempts, and at once on a 4xx that retrying cannot fix', async () => {
    const down = await sendWebhook('http://127.0.0.1:9/', payload, { baseDelayMs: 1 });
    expect(down.ok).toBe(false);
    expect(down.attempts).toHaveLength(3);
    expect(down.attempts[0]).toMatchObject({
      httpStatus: null,
      error: expect.stringMatching(/fetch failed/),
    });

    const { url } = await receiver([(r) => r.writeHead(400).end('bad')]);
    const rejected = await sendWebhook(url, payload, { baseDelayMs: 1 });
    expect(rejected.attempts.map((a) => a.httpStatus)).toEqual([400]);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter(new Date(t + 3000).toUTCString(), t)).toBe(3000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});
