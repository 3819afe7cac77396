// A meter provider for the dashboard process's own telemetry (alert engine, target supervisor):
// OTLP/HTTP protobuf to the collector, delta temporality, under its own service.name, sent like
// any client's metrics (with the ingest key when keys are on).
import { randomUUID } from 'node:crypto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

export function otlpMeterProvider(options: {
  serviceName: string;
  /** The collector's base URL, e.g. http://127.0.0.1:4318. */
  otlpUrl: string;
  headers?: Record<string, string> | undefined;
  exportIntervalMs: number;
}): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.instance.id': randomUUID(),
    }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: `${options.otlpUrl}/v1/metrics`,
          headers: options.headers ?? {},
          temporalityPreference: AggregationTemporality.DELTA,
        }),
        exportIntervalMillis: options.exportIntervalMs,
      }),
    ],
  });
}
