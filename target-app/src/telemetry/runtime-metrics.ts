// Node.js runtime metrics with the OpenTelemetry runtime conventions' names: event-loop delay
// (nodejs.eventloop.delay.*), event-loop utilisation, GC pauses (v8js.gc.duration by v8js.gc.type),
// JS heap used and process RSS (process.memory.usage). perf_hooks only, no extra dependency; the
// prom-client registry has its own equivalents from collectDefaultMetrics.
import {
  constants,
  type EventLoopUtilization,
  monitorEventLoopDelay,
  PerformanceObserver,
  performance,
} from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

/** The conventions' advised buckets for v8js.gc.duration (seconds). */
const GC_DURATION_BUCKETS = [0.01, 0.1, 1, 10];

const GC_TYPES: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export type RuntimeMetrics = { stop(): void };

export function startRuntimeMetrics(meter: Meter): RuntimeMetrics {
  // 10 ms resolution: finer sampling costs timer wake-ups for no visible gain on a chart.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const delayGauges = {
    min: (h: typeof delay) => h.min,
    max: (h: typeof delay) => h.max,
    mean: (h: typeof delay) => h.mean,
    stddev: (h: typeof delay) => h.stddev,
    p50: (h: typeof delay) => h.percentile(50),
    p90: (h: typeof delay) => h.percentile(90),
    p99: (h: typeof delay) => h.percentile(99),
  };
  const instruments = Object.entries(delayGauges).map(([stat, read]) => ({
    read,
    gauge: meter.createObservableGauge(`nodejs.eventloop.delay.${stat}`, {
      unit: 's',
      description: `Event loop delay (${stat}) since the previous collection.`,
    }),
  }));
  meter.addBatchObservableCallback(
    (result) => {
      // Nothing sampled yet (first collection right after start): report nothing rather than NaN.
      if (delay.count === 0) return;
      for (const { read, gauge } of instruments) result.observe(gauge, read(delay) / 1e9);
      delay.reset();
    },
    instruments.map((i) => i.gauge),
  );

  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  meter
    .createObservableGauge('nodejs.eventloop.utilization', {
      unit: '1',
      description: 'Share of time the event loop was busy since the previous collection.',
    })
    .addCallback((result) => {
      const now = performance.eventLoopUtilization();
      result.observe(performance.eventLoopUtilization(now, lastElu).utilization);
      lastElu = now;
    });

  const gcDuration = meter.createHistogram('v8js.gc.duration', {
    unit: 's',
    description: 'Garbage collection pause durations.',
    advice: { explicitBucketBoundaries: GC_DURATION_BUCKETS },
  });
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      gcDuration.record(entry.duration / 1000, { 'v8js.gc.type': GC_TYPES[kind ?? -1] ?? 'other' });
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  // Totals, not per heap space: the dashboard's memory KPI reads the peak of one series.
  meter
    .createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use.' })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('process.memory.usage', {
      unit: 'By',
      description: 'Resident set size of the process.',
    })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));

  return {
    stop() {
      delay.disable();
      gcObserver.disconnect();
    },
  };
}
