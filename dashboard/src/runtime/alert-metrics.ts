// The alert engine's own telemetry: how long each rule's evaluation took and which failed, sent
// like any client's metrics (OTLP/HTTP protobuf to the collector, delta temporality) under
// service.name `alert-engine`, so a slow or failing rule shows on the same charts and can itself
// be alerted on (Prometheus exports prometheus_rule_evaluation_duration_seconds the same way).
import type { RuleEvaluated } from 'alert-rules';
import { otlpMeterProvider } from './otlp-meter.ts';

export const ALERT_ENGINE_SERVICE = 'alert-engine';
export const ALERT_ENGINE_METRICS = {
  duration: 'alerts.rule.evaluation.duration',
  failures: 'alerts.rule.evaluation.failures',
} as const;

export type AlertEngineMetrics = {
  onEvaluated(evaluation: RuleEvaluated): void;
  /** Sends what was recorded since the last export (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
};

export type AlertEngineMetricsOptions = {
  /** The collector's base URL, e.g. http://127.0.0.1:4318. */
  otlpUrl: string;
  headers?: Record<string, string>;
  exportIntervalMs?: number;
};

export function createAlertEngineMetrics(options: AlertEngineMetricsOptions): AlertEngineMetrics {
  const provider = otlpMeterProvider({
    serviceName: ALERT_ENGINE_SERVICE,
    otlpUrl: options.otlpUrl,
    headers: options.headers,
    exportIntervalMs: options.exportIntervalMs ?? 10_000,
  });
  const meter = provider.getMeter('dashboard.alert-engine');
  const duration = meter.createHistogram(ALERT_ENGINE_METRICS.duration, {
    description: 'Time one rule evaluation took (query and state update)',
    unit: 's',
    advice: {
      explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    },
  });
  const failures = meter.createCounter(ALERT_ENGINE_METRICS.failures, {
    description: 'Rule evaluations that ended in the error state',
  });
  return {
    onEvaluated(evaluation) {
      const attributes = { 'alert.rule': evaluation.rule, 'alert.group': evaluation.group };
      duration.record(evaluation.durationMs / 1000, attributes);
      if (evaluation.error !== null) failures.add(1, attributes);
    },
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown();
    },
  };
}
