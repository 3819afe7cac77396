// Ingest API keys against a real collector and store: without a key, or with a wrong one, OTLP
// requests get 401 in their own content type and nothing is written; either header form with a
// configured key is accepted; /ready and /metrics stay open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CollectorServer,
  createStore,
  parseCollectorEnv,
  type Store,
  startCollector,
} from '../../src/index.ts';
import { keyMatcher, presentedKey } from '../../src/server/api-keys.ts';

const keys = ['k-0123456789abcdef', 'k-rotated-fedcba9876543210'];
const dir = mkdtempSync(join(tmpdir(), 'api-keys-'));
let store: Store;
let collector: CollectorServer;
let url: string;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 10 }, apiKeys: keys });
  url = `http://127.0.0.1:${collector.port}`;
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = (service: string) =>
  JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'g',
                gauge: {
                  dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asDouble: 1 }],
                },
              },
            ],
          },
        ],
      },
    ],
  });

async function stored(service: string): Promise<number> {
  const result = await store.client.query({
    query: 'SELECT count() AS n FROM otel_metrics_gauge WHERE ServiceName = {s:String}',
    query_params: { s: service },
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: string }>())[0]?.n);
}

describe('ingest API keys', () => {
  it('refuses a request without a key with 401 in JSON, and writes nothing', async () => {
    const res = await fetch(`${url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('no-key'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toEqual({ code: 16, message: expect.stringMatching(/missing API key/) });
    expect(await stored('no-key')).toBe(0);
  });

  it('refuses a wrong key with 401 in protobuf for protobuf requests', async () => {
    for (const path of ['/v1/metrics', '/v1/traces', '/v1/logs']) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${keys[0]}x` },
        body: Buffer.from([0x0a, 0x00]),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes[0]).toBe(0x08); // google.rpc.Status field 1 (code) …
      expect(bytes[1]).toBe(16); // … UNAUTHENTICATED
      expect(bytes.toString('utf8')).toContain('invalid API key');
    }
    expect(collector.stats()).toMatchObject({ receivedPoints: 0, receivedSpans: 0, receivedLogs: 0 });
    expect(collector.counters.unauthorizedRequests).toBeGreaterThanOrEqual(4);
  });

  it('accepts either configured key, as a Bearer token or in x-api-key', async () => {
    const bearer = await fetch(`${url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[0]}` },
      body: body('bearer'),
    });
    const header = await fetch(`${url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys[1]! },
      body: body('x-api-key'),
    });
    expect([bearer.status, header.status]).toEqual([200, 200]);
    expect([await stored('bearer'), await stored('x-api-key')]).toEqual([1, 1]);
  });

  it('keeps /ready, /health and /metrics open', async () => {
    for (const path of ['/ready', '/health', '/metrics'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(200);
  });
});

describe('key matching', () => {
  it('reads Bearer or x-api-key and matches only configured keys', () => {
    expect(presentedKey({ authorization: 'bearer abc' })).toBe('abc');
    expect(presentedKey({ authorization: 'Basic abc' })).toBeNull();
    expect(presentedKey({ 'x-api-key': 'xyz' })).toBe('xyz');
    const matches = keyMatcher(keys);
    expect(keys.map(matches)).toEqual([true, true]);
    expect([matches(null), matches(''), matches(keys[0]!.slice(0, -1))]).toEqual([false, false, false]);
  });
  it('validates COLLECTOR_API_KEYS', () => {
    expect(parseCollectorEnv({ COLLECTOR_API_KEYS: ` ${keys[0]}, ${keys[1]} ` }).COLLECTOR_API_KEYS).toEqual(
      keys,
    );
    expect(() => parseCollectorEnv({ COLLECTOR_API_KEYS: 'short' })).toThrow(/at least 16 printable/);
    expect(parseCollectorEnv({}).COLLECTOR_API_KEYS).toEqual([]);
  });
});
