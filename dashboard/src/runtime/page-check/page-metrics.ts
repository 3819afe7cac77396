// The page check's telemetry, sent like any other client's: the OpenTelemetry SDK's OTLP/HTTP
// protobuf exporter to the collector, under service.name `page-check`. Going through the collector
// rather than writing rows in-process keeps one ingest path (validation, delta conversion, the
// durable queue, dedup) and works the same whether the collector runs inside the dashboard
// (embedded chDB) or as its own process next to a ClickHouse server.
//
// Gauges hold seconds (the Frontend score's unit, like the HTTP semantic conventions); CLS is
// unitless. Each check is exported as soon as it ends, by an on-demand reader with delta
// temporality: one data point per page and check, none in between.
import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type InstrumentType,
  MeterProvider,
  MetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { FailureReason, PageTimings } from './measure-page.ts';

export const PAGE_CHECK_SERVICE = 'page-check';

export const PAGE_METRICS = {
  load: 'page.load.duration',
  fcp: 'page.fcp',
  lcp: 'page.lcp',
  tti: 'page.tti',
  tbt: 'page.tbt',
  cls: 'page.cls',
  failures: 'page.check.failures',
} as const;

/** Collects only when asked, then hands the batch to the exporter. */
class OnDemandReader extends MetricReader {
  readonly #exporter: PushMetricExporter;
  constructor(exporter: PushMetricExporter) {
    super({
      aggregationTemporalitySelector: (type: InstrumentType) =>
        exporter.selectAggregationTemporality?.(type) ?? AggregationTemporality.DELTA,
    });
    this.#exporter = exporter;
  }

  async exportNow(): Promise<void> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) throw errors[0];
    if (resourceMetrics.scopeMetrics.every((s) => s.metrics.length === 0)) return;
    await new Promise<void>((resolve, reject) => {
      this.#exporter.export(resourceMetrics, (result) => {
        if (result.code === 0) resolve();
        else reject(result.error ?? new Error('OTLP export failed'));
      });
    });
  }

  protected override onForceFlush(): Promise<void> {
    return this.exportNow();
  }

  protected override onShutdown(): Promise<void> {
    return this.#exporter.shutdown();
  }
}

export type PageCheckMetricsOptions = {
  /** The collector's base URL, e.g. http://127.0.0.1:4318. */
  otlpUrl: string;
  /** Extra request headers, e.g. the collector's ingest API key. */
  headers?: Record<string, string>;
  exportTimeoutMs?: number;
};

export type PageCheckMetrics = {
  recordTimings(attributes: Attributes, timings: PageTimings): void;
  recordFailure(attributes: Attributes, reason: FailureReason): void;
  /** Sends what was recorded since the last export. */
  export(): Promise<void>;
  shutdown(): Promise<void>;
};

const seconds = (ms: number) => ms / 1000;

export function createPageCheckMetrics(options: PageCheckMetricsOptions): PageCheckMetrics {
  const exporter = new OTLPMetricExporter({
    url: `${options.otlpUrl}/v1/metrics`,
    headers: options.headers ?? {},
    timeoutMillis: options.exportTimeoutMs ?? 10_000,
    temporalityPreference: AggregationTemporality.DELTA,
  });
  const reader = new OnDemandReader(exporter);
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': PAGE_CHECK_SERVICE,
      'service.instance.id': randomUUID(),
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('dashboard.page-check');
  const gauge = (name: string, description: string, unit: string) =>
    meter.createGauge(name, { description, unit });
  const gauges = {
    load: gauge(PAGE_METRICS.load, 'Navigation start to the end of the load event', 's'),
    fcp: gauge(PAGE_METRICS.fcp, 'First Contentful Paint', 's'),
    lcp: gauge(PAGE_METRICS.lcp, 'Largest Contentful Paint', 's'),
    tti: gauge(
      PAGE_METRICS.tti,
      'Time to Interactive (Lighthouse definition, from the page own timings)',
      's',
    ),
    tbt: gauge(PAGE_METRICS.tbt, 'Total Blocking Time between FCP and TTI', 's'),
    cls: gauge(PAGE_METRICS.cls, 'Cumulative Layout Shift (largest session window)', '1'),
  };
  const failures = meter.createCounter(PAGE_METRICS.failures, {
    description: 'Page checks that produced no measurement, by reason',
  });

  return {
    recordTimings(attributes, timings) {
      gauges.load.record(seconds(timings.load), attributes);
      gauges.fcp.record(seconds(timings.fcp), attributes);
      gauges.cls.record(timings.cls, attributes);
      if (timings.lcp !== undefined) gauges.lcp.record(seconds(timings.lcp), attributes);
      if (timings.tti !== undefined) gauges.tti.record(seconds(timings.tti), attributes);
      if (timings.tbt !== undefined) gauges.tbt.record(seconds(timings.tbt), attributes);
    },
    recordFailure(attributes, reason) {
      failures.add(1, { ...attributes, 'error.type': reason });
    },
    export: () => reader.exportNow(),
    async shutdown() {
      await reader.exportNow().catch(() => undefined);
      await provider.shutdown();
    },
  };
}
