// Exponential histograms (encoded by the OTel JS SDK with an exponential-histogram view) and
// summaries (OTLP/JSON) land in otel_metrics_exponential_histogram / otel_metrics_summary; an
// inconsistent point of either kind is rejected through partial_success.
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

class CollectingReader extends MetricReader {
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

describe('exponential histograms and summaries', () => {
  it('stores an SDK exponential histogram with its scale, offsets and bucket counts', async () => {
    const reader = new CollectingReader({
      aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'exp-svc' }),
      readers: [reader],
      views: [{ instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const histogram = provider.getMeter('test').createHistogram('latency', { unit: 'ms' });
    for (const v of [1, 2, 4, 8, 100, 100, 250]) histogram.record(v, { route: '/a' });
    const { resourceMetrics } = await reader.collect();
    const res = await fetch(`${fx.url}/v1/metrics`, {
      method: 'POST',
      body: ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(200);
    const result = await fx.store.client.query({
      query: `SELECT toInt32(Count) AS Count, Sum, Min, Max, Scale, toInt32(ZeroCount) AS ZeroCount,
        toInt32(arraySum(PositiveBucketCounts)) AS positive,
        AggregationTemporality, Attributes['route'] AS route FROM otel_metrics_exponential_histogram
        WHERE ServiceName = 'exp-svc' AND MetricName = 'latency'`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<Record<string, unknown>>();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Count: 7, Sum: 465, Min: 1, Max: 250, ZeroCount: 0, positive: 7 });
    expect(rows[0]).toMatchObject({ AggregationTemporality: 1, route: '/a' });
    expect(Number(rows[0]?.Scale)).toBeGreaterThan(0);
  });

  it('converts a cumulative SDK exponential histogram to delta across a scale change', async () => {
    const reader = new CollectingReader({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'exp-cumulative' }),
      readers: [reader],
      views: [{ instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const histogram = provider.getMeter('test').createHistogram('latency', { unit: 'ms' });
    const send = async () => {
      const { resourceMetrics } = await reader.collect();
      const res = await fetch(`${fx.url}/v1/metrics`, {
        method: 'POST',
        body: ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      expect(res.status).toBe(200);
    };
    for (const v of [10, 11, 12, 13]) histogram.record(v);
    await send();
    await new Promise((r) => setTimeout(r, 5));
    // A value range a million times wider: the SDK lowers its scale for the whole cumulative point.
    for (const v of [0.001, 5000, 9000]) histogram.record(v);
    await send();
    const result = await fx.store.client.query({
      query: `SELECT toInt32(Count) AS count, Sum AS sum, Scale AS scale, AggregationTemporality AS temporality,
        toInt32(arraySum(PositiveBucketCounts)) AS positive FROM otel_metrics_exponential_histogram
        WHERE ServiceName = 'exp-cumulative' ORDER BY TimeUnix`,
      format: 'JSONEachRow',
    });
    const rows = (await result.json<Record<string, number>>()).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ count: 4, sum: 46, positive: 4, temporality: 1 });
    expect(rows[1]).toMatchObject({ count: 3, positive: 3, temporality: 1 });
    expect(rows[1]!.sum).toBeCloseTo(14000.001, 6);
    expect(rows[1]!.scale).toBeLessThan(rows[0]!.scale!);
  });

  it('stores a JSON summary with its quantiles and rejects an inconsistent exponential point', async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const res = await fetch(`${fx.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'summary-svc' } }] },
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'rpc.duration',
                    summary: {
                      dataPoints: [
                        {
                          timeUnixNano: now,
                          count: '10',
                          sum: 5.5,
                          quantileValues: [
                            { quantile: 0.5, value: 0.4 },
                            { quantile: 0.99, value: 1.2 },
                          ],
                        },
                      ],
                    },
                  },
                  {
                    name: 'bad.exp',
                    exponentialHistogram: {
                      aggregationTemporality: 1,
                      dataPoints: [
                        { timeUnixNano: now, count: '5', scale: 2, positive: { bucketCounts: ['1'] } },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedDataPoints: '1',
        errorMessage: 'bad.exp: count differs from zero_count plus the bucket counts',
      },
    });
    const result = await fx.store.client.query({
      query: `SELECT toInt32(Count) AS Count, Sum, ValueAtQuantiles.Quantile AS q, ValueAtQuantiles.Value AS v
        FROM otel_metrics_summary WHERE ServiceName = 'summary-svc'`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ Count: 10, Sum: 5.5, q: [0.5, 0.99], v: [0.4, 1.2] }]);
    expect(await fx.count('otel_metrics_exponential_histogram', "ServiceName = 'summary-svc'")).toBe(0);
  });
});
