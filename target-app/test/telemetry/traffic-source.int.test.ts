// The product's own traffic is not the API's: a Prometheus scrape of /metrics, health and readiness
// probes and the page check's requests (marked `x-synthetic: page-check`) reach the exported
// request histogram as `traffic.source = internal`; a k6 request stays in the API's series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMetrics, decodeSpans } from '../support/otlp-decode.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

const CHROMIUM_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36';
const pageCheck = { 'x-synthetic': 'page-check', 'user-agent': CHROMIUM_UA };

async function send(path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${t.url}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

/** Requests per (traffic.source, http.route) summed over every delta point exported so far. */
function exportedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const metric of t.receiver.bodies.metrics.flatMap((body) => decodeMetrics(body))) {
    if (metric.name !== 'http.server.request.duration') continue;
    for (const p of metric.points) {
      const key = `${String(p.attributes['traffic.source'])} ${String(p.attributes['http.route'])}`;
      counts.set(key, (counts.get(key) ?? 0) + (p.count ?? 0));
    }
  }
  return counts;
}

describe('traffic source', () => {
  it('keeps scrapes, probes and the page check out of the API series; k6 stays in it', async () => {
    // The collector's scraper, twice; a readiness and a liveness probe.
    const scrape = { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1', 'x-synthetic': 'collector-scrape' };
    expect(await send('/metrics', scrape)).toBe(200);
    expect(await send('/metrics')).toBe(200); // an unmarked scraper: the route alone marks it
    expect(await send('/health')).toBe(200);
    expect(await send('/ready')).toBe(200);
    // The page check's Chromium loads a page, which calls the API.
    expect(await send('/', pageCheck)).toBe(200);
    expect(await send('/api/cars?pageSize=5', pageCheck)).toBe(200);
    // A load test request: what a load test measures is the API's traffic.
    expect(await send('/api/cars/2', { 'user-agent': 'k6/2.2.0 (https://k6.io/)' })).toBe(200);

    const counts = await eventually(() => {
      const c = exportedCounts();
      const expected = ['api /api/cars/:id', 'internal /metrics', 'internal /health', 'internal /ready'];
      const all = expected.every((k) => (c.get(k) ?? 0) > 0) && (c.get('internal /api/cars') ?? 0) > 0;
      return all ? c : undefined;
    });
    const apiSeries = [...counts].filter(([key]) => key.startsWith('api '));
    expect(Object.fromEntries(apiSeries)).toEqual({ 'api /api/cars/:id': 1 });
    expect(counts.get('internal /metrics')).toBeGreaterThanOrEqual(2);
    expect(counts.get('internal /health')).toBe(1);
    expect(counts.get('internal /ready')).toBe(1);
    expect(counts.get('internal /')).toBe(1);
    expect(counts.get('internal /api/cars')).toBe(1);

    // The page check's server span names its sender; the k6 request's span is the API's.
    const spans = await eventually(() => {
      const found = t.receiver.bodies.traces.flatMap((body) => decodeSpans(body));
      const names = new Set(found.map((s) => s.name));
      return names.has('GET /api/cars') && names.has('GET /api/cars/:id') ? found : undefined;
    });
    const pageSpan = spans.find((s) => s.name === 'GET /api/cars');
    expect(pageSpan?.attributes).toMatchObject({
      'traffic.source': 'internal',
      'traffic.sender': 'page-check',
    });
    const k6Span = spans.find((s) => s.name === 'GET /api/cars/:id');
    expect(k6Span?.attributes['traffic.source']).toBe('api');
    expect(k6Span?.attributes['traffic.sender']).toBeUndefined();
  });

  it('labels the Prometheus histogram the same way', async () => {
    await send('/health');
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/health",status_code="200",traffic_source="internal"\} \d+$/m,
    );
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/api\/cars\/:id",status_code="200",traffic_source="api"\} 1$/m,
    );
  });
});
