// The real OpenTelemetry JS SDK exports to the collector over OTLP/HTTP protobuf; the data is
// read back from chDB with the same query the dashboard uses.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryHistogramSeries, queryStat } from '../../src/index.ts';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

function meterProvider(service: string, temporality: AggregationTemporality) {
  const exporter = new OTLPMetricExporter({
    url: `${fx.url}/v1/metrics`,
    temporalityPreference: temporality,
  });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  return new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
  });
}

describe('OTel SDK → collector → chDB', () => {
  it('stores a delta histogram and the dashboard query reads its percentiles back', async () => {
    const start = Date.now();
    const provider = meterProvider('sdk-delta', AggregationTemporality.DELTA);
    const histogram = provider.getMeter('test').createHistogram('http.server.request.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1] },
    });
    // 90 fast requests and 10 slow ones, 5 of them errors.
    for (let i = 0; i < 90; i++)
      histogram.record(0.02, { 'http.route': '/api/cars', 'http.response.status_code': 200 });
    for (let i = 0; i < 10; i++)
      histogram.record(0.6, { 'http.route': '/api/cars', 'http.response.status_code': i < 5 ? 500 : 200 });
    await provider.forceFlush();
    await provider.shutdown();

    const window = { from: start - 60_000, to: Date.now() + 60_000 };
    const series = await queryHistogramSeries(fx.store.client, {
      metric: 'http.server.request.duration',
      serviceName: 'sdk-delta',
      window,
      stepSeconds: 60,
      errorWhere: [{ key: 'http.response.status_code', op: '>=', value: 500 }],
    });
    const total = series.reduce((a, p) => a + p.count, 0);
    const errors = series.reduce((a, p) => a + p.errors, 0);
    expect(total).toBe(100);
    expect(errors).toBe(5);
    const p50 = await queryStat(fx.store.client, {
      kind: 'histogram',
      stat: 'p50',
      metric: 'http.server.request.duration',
      serviceName: 'sdk-delta',
      window,
    });
    const p95 = await queryStat(fx.store.client, {
      kind: 'histogram',
      stat: 'p95',
      metric: 'http.server.request.duration',
      serviceName: 'sdk-delta',
      window,
    });
    expect(p50).toBeGreaterThan(0.01);
    expect(p50).toBeLessThanOrEqual(0.025);
    expect(p95).toBeGreaterThan(0.5);
    expect(p95).toBeLessThanOrEqual(0.6);
  });

  it('converts a cumulative counter and histogram to delta without double counting', async () => {
    const provider = meterProvider('sdk-cumulative', AggregationTemporality.CUMULATIVE);
    const meter = provider.getMeter('test');
    const counter = meter.createCounter('requests.total');
    const histogram = meter.createHistogram('work.duration', { unit: 'ms' });
    counter.add(3);
    histogram.record(5);
    histogram.record(7);
    await provider.forceFlush();
    counter.add(4);
    histogram.record(50);
    await provider.forceFlush();
    await provider.forceFlush(); // an export with no new data must add nothing
    await provider.shutdown();

    const sum = await queryStat(fx.store.client, {
      kind: 'sum',
      stat: 'sum',
      metric: 'requests.total',
      serviceName: 'sdk-cumulative',
      window: { from: Date.now() - 600_000, to: Date.now() + 60_000 },
    });
    expect(sum).toBe(7);
    const count = await queryStat(fx.store.client, {
      kind: 'histogram',
      stat: 'count',
      metric: 'work.duration',
      serviceName: 'sdk-cumulative',
      window: { from: Date.now() - 600_000, to: Date.now() + 60_000 },
    });
    expect(count).toBe(3);
    const values = await fx.store.client.query({
      query: `SELECT Value, AggregationTemporality AS temporality FROM otel_metrics_sum
        WHERE MetricName = 'requests.total' ORDER BY TimeUnix`,
      format: 'JSONEachRow',
    });
    // first point whole (the series began after the collector), then deltas; the shutdown export adds 0
    expect(await values.json()).toEqual([
      { Value: 3, temporality: 1 },
      { Value: 4, temporality: 1 },
      { Value: 0, temporality: 1 },
      { Value: 0, temporality: 1 },
    ]);
  });

  it('stores spans with their exporter-layout columns', async () => {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-traces' }),
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${fx.url}/v1/traces` }) }),
      ],
    });
    const tracer = provider.getTracer('test');
    tracer.startActiveSpan(
      'GET /api/cars/:id',
      { kind: 1, attributes: { 'http.route': '/api/cars/:id' } },
      (span) => {
        span.addEvent('cache.miss', { key: 'car:1' });
        span.setStatus({ code: 2, message: 'boom' });
        span.end();
      },
    );
    await provider.forceFlush();
    await provider.shutdown();
    const result = await fx.store.client.query({
      query: `SELECT SpanName, SpanKind, StatusCode, StatusMessage, SpanAttributes['http.route'] AS route,
        length(TraceId) AS tl, Events.Name AS events, Duration FROM otel_traces WHERE ServiceName = 'sdk-traces'`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<Record<string, unknown>>();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      SpanName: 'GET /api/cars/:id',
      SpanKind: 'Server',
      StatusCode: 'Error',
      StatusMessage: 'boom',
      route: '/api/cars/:id',
      tl: 32,
      events: ['cache.miss'],
    });
  });
});
