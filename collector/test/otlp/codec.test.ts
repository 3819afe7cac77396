// The protobuf and JSON decoders agree with each other on what the OpenTelemetry JS serializers
// (the same code the SDK exporters use) produce, and hostile bytes never crash the reader.
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import {
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
  OtlpDecodeError,
} from '../../src/index.ts';

class CollectingReader extends MetricReader {
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

async function sampleMetrics() {
  const reader = new CollectingReader({
    aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'codec', 'host.cores': 2, tags: ['a', 'b'] }),
    readers: [reader],
  });
  const meter = provider.getMeter('codec-test', '1.2.3');
  meter.createCounter('c').add(5, { route: '/x', ok: true });
  meter.createUpDownCounter('u').add(-2);
  meter.createHistogram('h', { unit: 'ms' }).record(12.5, { status: 200 });
  meter.createGauge('g').record(0.25);
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

describe('OTLP decoders', () => {
  it('decode the same metrics from protobuf and from JSON', async () => {
    const rm = await sampleMetrics();
    const proto = decodeMetricsProto(ProtobufMetricsSerializer.serializeRequest(rm)!);
    const json = decodeMetricsJson(JsonMetricsSerializer.serializeRequest(rm)!);
    expect(proto).toEqual(json);
    const metrics = proto[0]!.scopeMetrics[0]!.metrics;
    expect(proto[0]!.resource.attributes).toMatchObject({
      'service.name': 'codec',
      'host.cores': '2',
      tags: '["a","b"]',
    });
    expect(proto[0]!.scopeMetrics[0]!.scope).toMatchObject({ name: 'codec-test', version: '1.2.3' });
    expect(metrics.map((m) => [m.name, m.type])).toEqual([
      ['c', 'sum'],
      ['u', 'sum'],
      ['h', 'histogram'],
      ['g', 'gauge'],
    ]);
    const histogram = metrics[2]!;
    if (histogram.type !== 'histogram') throw new Error('expected a histogram');
    expect(histogram.temporality).toBe(2);
    expect(histogram.points[0]).toMatchObject({
      count: 1,
      sum: 12.5,
      min: 12.5,
      max: 12.5,
      attributes: { status: '200' },
    });
    expect(histogram.points[0]!.bucketCounts).toHaveLength(histogram.points[0]!.explicitBounds.length + 1);
  });

  it('decode the same spans from protobuf and from JSON', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'codec' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('t');
    const parent = tracer.startSpan('parent');
    parent.addEvent('evt', { n: 1 });
    parent.addLink({ context: parent.spanContext(), attributes: { why: 'self' } });
    parent.end();
    const spans = exporter.getFinishedSpans();
    const proto = decodeTracesProto(ProtobufTraceSerializer.serializeRequest(spans)!);
    const json = decodeTracesJson(JsonTraceSerializer.serializeRequest(spans)!);
    expect(proto).toEqual(json);
    const span = proto[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.traceId).toBe(parent.spanContext().traceId);
    expect(span.events[0]).toMatchObject({ name: 'evt', attributes: { n: '1' } });
    expect(span.links[0]).toMatchObject({ spanId: parent.spanContext().spanId, attributes: { why: 'self' } });
  });

  it('turns every truncation and corruption of a valid body into OtlpDecodeError, never a crash', async () => {
    const body = ProtobufMetricsSerializer.serializeRequest(await sampleMetrics())!;
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let cut = 0; cut < body.length; cut++) {
      try {
        decodeMetricsProto(body.subarray(0, cut));
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
    for (let i = 0; i < 2000; i++) {
      const corrupt = Uint8Array.from(body);
      for (let j = 0; j < 3; j++) corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
      try {
        decodeMetricsProto(corrupt);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
  });
});
