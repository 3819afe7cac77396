// One export of a busy service, encoded by the real OpenTelemetry JS serializers: 60 histogram
// series (5 routes × 3 methods × 4 status codes) and 15 counter series. Shared by the benchmarks.
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class CollectingReader extends MetricReader {
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

export async function sampleMetricsPayload(): Promise<{ proto: Uint8Array; json: Uint8Array }> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    readers: [reader],
  });
  const meter = provider.getMeter('bench');
  const histogram = meter.createHistogram('http.server.request.duration', { unit: 's' });
  const counter = meter.createCounter('cache.hits');
  for (const route of ['/a', '/b', '/c', '/d', '/e'])
    for (const method of ['GET', 'POST', 'PUT'])
      for (const status of [200, 201, 404, 500])
        for (let i = 0; i < 20; i++) {
          histogram.record(Math.random(), {
            'http.route': route,
            'http.request.method': method,
            'http.response.status_code': status,
          });
          counter.add(1, { route, method });
        }
  const { resourceMetrics } = await reader.collect();
  const proto = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  const json = JsonMetricsSerializer.serializeRequest(resourceMetrics);
  if (!proto || !json) throw new Error('OTLP serialization failed');
  return { proto, json };
}
