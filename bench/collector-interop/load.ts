// The load generator of the interop bench: the real OpenTelemetry JS SDK (metrics, traces, logs)
// exporting OTLP/HTTP protobuf to the agent at a steady rate, one service per phase, counting
// exactly what it hands to its exporters: delta-counter and cumulative-counter increments, ended
// spans and emitted log records (each span and record has a `seq` attribute, so doubles are seen).
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
// No logs exporter package is installed; this is the same composition @opentelemetry/exporter-logs-otlp-proto
// makes, from the installed exporter base and the transformer's protobuf logs serializer.
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { LogsExporterMetricsHelper, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** What the SDK was handed in one phase. */
export interface SentCounts {
  deltaCounter: number;
  cumulativeCounter: number;
  spans: number;
  logs: number;
}

export const DELTA_METRIC = 'interop.requests.delta';
export const CUMULATIVE_METRIC = 'interop.requests.cumulative';
const ROUTES = ['/cars', '/cars/:id', '/search', '/login'];

export interface LoadOptions {
  agentUrl: string;
  service: string;
  /** Counter increments and log records per second (spans: a fifth of it). */
  perSecond: number;
  metricIntervalMs: number;
}

class OtlpProtoLogExporter extends OTLPExporterBase<ReadableLogRecord[]> {
  constructor(url: string) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions({ url }, 'LOGS', 'v1/logs', { 'Content-Type': 'application/x-protobuf' }),
        ProtobufLogsSerializer,
        'otlp_http_log_exporter',
        LogsExporterMetricsHelper,
        undefined,
      ),
    );
  }
}

function meterProvider(opts: LoadOptions, temporality: AggregationTemporality): MeterProvider {
  const exporter = new OTLPMetricExporter({
    url: `${opts.agentUrl}/v1/metrics`,
    temporalityPreference: temporality,
  });
  return new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': opts.service }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: opts.metricIntervalMs,
        exportTimeoutMillis: opts.metricIntervalMs,
      }),
    ],
  });
}

export interface RunningLoad {
  /** Stops producing, flushes and shuts every provider down; the totals handed to the SDK. */
  stop(): Promise<SentCounts>;
}

export function startLoad(opts: LoadOptions): RunningLoad {
  const resource = resourceFromAttributes({ 'service.name': opts.service });
  const deltas = meterProvider(opts, AggregationTemporality.DELTA);
  const cumulatives = meterProvider(opts, AggregationTemporality.CUMULATIVE);
  const tracing = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${opts.agentUrl}/v1/traces` }),
        scheduledDelayMillis: 500,
        maxQueueSize: 100_000,
      }),
    ],
  });
  const logging = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: new OtlpProtoLogExporter(`${opts.agentUrl}/v1/logs`),
        scheduledDelayMillis: 500,
        maxQueueSize: 100_000,
      }),
    ],
  });
  const deltaCounter = deltas.getMeter('interop').createCounter(DELTA_METRIC);
  const cumulativeCounter = cumulatives.getMeter('interop').createCounter(CUMULATIVE_METRIC);
  const tracer = tracing.getTracer('interop');
  const logger = logging.getLogger('interop');
  const sent: SentCounts = { deltaCounter: 0, cumulativeCounter: 0, spans: 0, logs: 0 };

  const tickMs = 100;
  const perTick = Math.max(1, Math.round((opts.perSecond * tickMs) / 1000));
  let seq = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      seq++;
      const route = ROUTES[seq % ROUTES.length] ?? '/';
      deltaCounter.add(1, { 'http.route': route });
      cumulativeCounter.add(1, { 'http.route': route });
      sent.deltaCounter++;
      sent.cumulativeCounter++;
      logger.emit({ severityNumber: 9, body: `request ${seq}`, attributes: { seq, 'http.route': route } });
      sent.logs++;
      if (seq % 5 === 0) {
        tracer.startSpan(`GET ${route}`, { attributes: { seq, 'http.route': route } }).end();
        sent.spans++;
      }
    }
  }, tickMs);

  return {
    async stop() {
      clearInterval(timer);
      // shutdown() exports what is left (and the metric readers' last collection).
      await Promise.all([deltas.shutdown(), cumulatives.shutdown(), tracing.shutdown(), logging.shutdown()]);
      return { ...sent };
    },
  };
}
