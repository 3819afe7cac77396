// The bad-input corpus (cases/*, described by manifest.json, written by generate.ts) against a real
// collector and store: each case gets its 4xx or a partial success, the process stays up, and the
// store holds exactly the valid part of each request — nothing of a refused one.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';
import type { CorpusCase } from './generate.ts';

const cases = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as CorpusCase[];

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

const tables = ['otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram', 'otel_traces'];
async function storedFor(service: string): Promise<number> {
  let n = 0;
  for (const t of tables) n += await fx.count(t, `ServiceName = '${service}'`);
  return n;
}

describe('bad-input corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const body = readFileSync(new URL(`./cases/${c.file}`, import.meta.url));
    const headers: Record<string, string> = { 'content-type': c.contentType };
    if (c.contentEncoding) headers['content-encoding'] = c.contentEncoding;
    const res = await fetch(`${fx.url}${c.path}`, { method: 'POST', body, headers });
    const text = await res.text();
    expect({ status: res.status, text: text.slice(0, 300) }).toMatchObject({ status: c.expect.status });
    if (c.contentType === 'application/json' && res.status !== 415)
      expect(res.headers.get('content-type')).toContain('application/json');
    const stored = await storedFor(`corpus-${c.name}`);
    if (res.status !== 200) {
      expect(stored).toBe(0);
      return;
    }
    expect(stored).toBe(c.expect.stored);
    if (c.contentType === 'application/json') {
      const partial = (JSON.parse(text) as { partialSuccess?: Record<string, string> }).partialSuccess;
      const rejected = Number(partial?.rejectedDataPoints ?? partial?.rejectedSpans ?? 0);
      expect(rejected).toBe(c.expect.rejected);
    }
  });

  it('is still up and storing after the whole corpus', async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const res = await fetch(`${fx.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'corpus-after' } }] },
            scopeMetrics: [
              { metrics: [{ name: 'ok', gauge: { dataPoints: [{ timeUnixNano: now, asDouble: 1 }] } }] },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await storedFor('corpus-after')).toBe(1);
    expect(fx.collector.stats().droppedRows).toBe(0);
    expect(fx.collector.stats().queuedRows).toBe(0);
  });
});
