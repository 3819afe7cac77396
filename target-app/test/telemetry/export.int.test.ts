// What the app tells the outside world: the Prometheus scrape, and OTLP/HTTP protobuf metrics and
// traces as received by a real HTTP endpoint and decoded from the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_DURATION_BUCKETS } from '../../src/metrics.ts';
import type { CarSearchResponse } from '../../src/routes/cars.ts';
import { startTargetApp } from '../../src/start.ts';
import {
  decodeMetrics,
  decodeSpans,
  type ExportedMetric,
  type ExportedSpan,
} from '../support/otlp-decode.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { eventually, startTestApp, TEST_TOKEN, type TestApp } from '../support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('telemetry', () => {
  it('exposes the request histogram and default process metrics at /metrics', async () => {
    await t.get('/api/cars/2');
    await t.get('/api/cars?pageSize=0');
    await t.get('/nowhere');
    const response = await fetch(`${t.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toMatch(
      /^http_server_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/cars\/:id",status_code="200",traffic_source="api"\} \d+$/m,
    );
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="\/api\/cars",status_code="400",traffic_source="api"\} 1$/m,
    );
    // Unmatched URLs share one empty route label instead of one series per URL.
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{method="GET",route="",status_code="404",traffic_source="api"\} 1$/m,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/^chaos_latency_ms 0$/m);
  });

  it('exports delta request-duration histograms with the stable HTTP conventions over OTLP protobuf', async () => {
    await t.get('/api/cars/3');
    const metric = await eventually(() =>
      t.receiver.bodies.metrics
        .flatMap((body) => decodeMetrics(body))
        .find(
          (m: ExportedMetric) =>
            m.name === 'http.server.request.duration' &&
            m.points.some((p) => p.attributes['http.route'] === '/api/cars/:id'),
        ),
    );
    expect(metric).toMatchObject({ kind: 'histogram', unit: 's', temporality: 1 });
    expect(metric.resource['service.name']).toBe('car-suggester-test');
    const point = metric.points.find((p) => p.attributes['http.route'] === '/api/cars/:id')!;
    expect(point.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/api/cars/:id',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'traffic.source': 'api',
    });
    expect(point.explicitBounds).toEqual(HTTP_DURATION_BUCKETS);

    const gauges = t.receiver.bodies.metrics
      .flatMap((body) => decodeMetrics(body))
      .filter((m) => m.kind === 'gauge');
    expect(gauges.map((g) => g.name)).toEqual(
      expect.arrayContaining(['chaos.latency_ms', 'chaos.error_rate']),
    );
    expect(t.receiver.rejected).toEqual([]);
  });

  it('continues the caller’s W3C trace with a SERVER span and a child DB span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    await t.get('/api/cars/42', { traceparent: `00-${traceId}-${callerSpanId}-01` });
    const spans = await eventually(() => {
      const found = t.receiver.bodies.traces
        .flatMap((body) => decodeSpans(body))
        .filter((s) => s.traceId === traceId);
      return found.length >= 2 ? found : undefined;
    });
    const server = spans.find((s: ExportedSpan) => s.kind === 2)!;
    expect(server).toMatchObject({ name: 'GET /api/cars/:id', parentSpanId: callerSpanId, statusCode: 0 });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/cars/:id',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'url.path': '/api/cars/42',
    });
    const db = spans.find((s: ExportedSpan) => s.kind === 3)!;
    expect(db).toMatchObject({ name: 'SELECT cars', parentSpanId: server.spanId });
    expect(db.attributes['db.system.name']).toBe('postgresql');
    expect(db.attributes['db.query.text']).toMatch(/FROM cars WHERE id = \$1$/);
  });

  it('marks 5xx server spans as errors', async () => {
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    await t.chaos('PUT', { errorRate: 1, routes: ['/api/makes'] });
    try {
      expect((await t.get('/api/makes', { traceparent: `00-${traceId}-1111222233334444-01` })).status).toBe(
        500,
      );
    } finally {
      await t.chaos('DELETE');
    }
    const span = await eventually(() =>
      t.receiver.bodies.traces.flatMap((body) => decodeSpans(body)).find((s) => s.traceId === traceId),
    );
    expect(span).toMatchObject({ name: 'GET /api/makes', statusCode: 2 });
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
  });
});

describe('with telemetry disabled', () => {
  it('serves the API and exports nothing', async () => {
    const quiet = await startOtlpReceiver();
    const other = await startTargetApp({
      port: 0,
      carCount: 50,
      otlpEndpoint: quiet.url,
      telemetryEnabled: false,
      metricExportIntervalMs: 100,
      adminToken: TEST_TOKEN,
      logLevel: 'error',
    });
    try {
      const response = await fetch(`${other.url}/api/cars?pageSize=1`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as CarSearchResponse).total).toBe(50);
      await new Promise((resolve) => setTimeout(resolve, 600));
    } finally {
      await other.close();
      await quiet.close();
    }
    expect(quiet.bodies.metrics.length + quiet.bodies.traces.length).toBe(0);
  });
});
