// The OpenTelemetry SDK for this process: traces and metrics over OTLP/HTTP protobuf, metrics with
// delta temporality (the store keeps deltas) and a short export interval. Providers are owned by the
// app instance rather than registered globally, so several apps can run in one process (tests).

import { randomUUID } from 'node:crypto';
import { createNoopMeter, type Meter, type Tracer } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Config } from '../env.ts';
import { createSampler } from './sampler.ts';

export const INSTRUMENTATION_SCOPE = 'target-app';

export type Telemetry = {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  readonly meter: Meter;
  forceFlush(): Promise<void>;
  /** Flushes what is buffered, then stops exporting. Safe to call twice. */
  shutdown(): Promise<void>;
};

export type TelemetryConfig = Pick<
  Config,
  'telemetryEnabled' | 'serviceName' | 'otlpEndpoint' | 'metricExportIntervalMs'
> &
  Partial<Pick<Config, 'tracesSampler' | 'tracesSamplerArg'>>;

export function startTelemetry(config: TelemetryConfig): Telemetry {
  if (!config.telemetryEnabled) return disabledTelemetry();

  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    }),
  );

  const metricExporter = new OTLPMetricExporter({
    url: `${config.otlpEndpoint}/v1/metrics`,
    temporalityPreference: AggregationTemporality.DELTA,
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: metricExporter,
        exportIntervalMillis: config.metricExportIntervalMs,
        // The reader refuses a timeout longer than the interval.
        exportTimeoutMillis: config.metricExportIntervalMs,
      }),
    ],
  });

  const tracerProvider = new TracerProvider({
    resource,
    sampler: createSampler(config.tracesSampler ?? 'parentbased_always_on', config.tracesSamplerArg ?? 1),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${config.otlpEndpoint}/v1/traces` }),
        scheduledDelayMillis: 500,
        maxExportBatchSize: 1024,
        // Under a stress test spans beyond this are dropped rather than growing memory without bound.
        maxQueueSize: 16_384,
      }),
    ],
  });

  let shutdown: Promise<void> | undefined;
  return {
    enabled: true,
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE),
    meter: meterProvider.getMeter(INSTRUMENTATION_SCOPE),
    async forceFlush() {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown() {
      shutdown ??= Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]).then(
        () => undefined,
      );
      return shutdown;
    },
  };
}

/** Same shape, no export: spans are non-recording and instruments are no-ops. */
function disabledTelemetry(): Telemetry {
  const tracerProvider = new TracerProvider({ sampler: new AlwaysOffSampler() });
  return {
    enabled: false,
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE),
    meter: createNoopMeter(),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
