// The collector's own counters written into the store, periodically, as ordinary metrics under
// its own ServiceName, so dashboards and alert rules query them like any other service's:
// cumulative sums (converted to delta by the shared normaliser) per signal, plus gauges of the
// queue and the store. Names follow OTel style with a `signal` attribute (metrics|traces|logs).
import type { Metric, NumberPoint, ResourceMetrics } from '../otlp/model.ts';
import { Temporality } from '../otlp/model.ts';
import { signalOfTable } from '../write/batch-writer.ts';
import { type InsertLatencySeries, insertLatencyBounds } from '../write/insert-latency.ts';
import { selfMetricNames } from './self-metric-names.ts';
import type { SenderRefusalCount } from './sender-refusals.ts';

export type Signal = 'metrics' | 'traces' | 'logs';

/** What the collector reports about itself, per signal where it applies. */
export interface SelfTelemetrySnapshot {
  received: Record<Signal, number>;
  accepted: Record<Signal, number>;
  rejected: Record<Signal, number>;
  /** Rows per table; folded into signals here. */
  writtenByTable: Record<string, number>;
  queuedByTable: Record<string, number>;
  replayedByTable: Record<string, number>;
  droppedByTable: Record<string, number>;
  badRequests: number;
  throttledRequests: number;
  unauthorizedRequests: number;
  queueBytes: number;
  queueBatches: number;
  inFlightBytes: number;
  storeUp: boolean;
  /** Cumulative insert times per signal and outcome. */
  insertLatency: InsertLatencySeries[];
  /** Refusals per sender (capped), reason and signal. */
  refusalsBySender: SenderRefusalCount[];
}

function bySignal(byTable: Record<string, number>): Record<Signal, number> {
  const out: Record<Signal, number> = { metrics: 0, traces: 0, logs: 0 };
  for (const [table, n] of Object.entries(byTable)) out[signalOfTable(table)] += n;
  return out;
}

export function selfTelemetryMetrics(
  snapshot: SelfTelemetrySnapshot,
  options: { serviceName: string; instance: string; startUnixNano: bigint; timeUnixNano: bigint },
): ResourceMetrics[] {
  const point = (attributes: Record<string, string>, value: number, start = options.startUnixNano) =>
    ({
      attributes,
      startTimeUnixNano: start,
      timeUnixNano: options.timeUnixNano,
      value,
      flags: 0,
      exemplars: [],
    }) satisfies NumberPoint;
  /** A monotonic cumulative sum of these points. */
  const cumulativeSum = (name: string, description: string, unit: string, points: NumberPoint[]): Metric => ({
    name,
    description,
    unit,
    type: 'sum',
    temporality: Temporality.cumulative,
    isMonotonic: true,
    points,
  });
  const counter = (
    name: string,
    description: string,
    unit: string,
    values: Record<string, number>,
    key: string,
  ): Metric =>
    cumulativeSum(
      name,
      description,
      unit,
      Object.entries(values).map(([v, n]) => point({ [key]: v }, n)),
    );
  const gauge = (name: string, description: string, unit: string, value: number): Metric => ({
    name,
    description,
    unit,
    type: 'gauge',
    points: [point({}, value, 0n)],
  });
  const n = selfMetricNames;
  const metrics: Metric[] = [
    counter(
      n.received,
      'Items (points, spans, log records) received in valid requests.',
      '{item}',
      snapshot.received,
      'signal',
    ),
    counter(n.accepted, 'Items acknowledged as durable.', '{item}', snapshot.accepted, 'signal'),
    counter(n.rejected, 'Invalid items refused (partial success).', '{item}', snapshot.rejected, 'signal'),
    counter(
      n.written,
      'Rows inserted directly into the store.',
      '{row}',
      bySignal(snapshot.writtenByTable),
      'signal',
    ),
    counter(
      n.queued,
      'Rows appended to the on-disk queue.',
      '{row}',
      bySignal(snapshot.queuedByTable),
      'signal',
    ),
    counter(
      n.replayed,
      'Rows inserted from the on-disk queue.',
      '{row}',
      bySignal(snapshot.replayedByTable),
      'signal',
    ),
    counter(
      n.dropped,
      'Acknowledged rows the store refused for good.',
      '{row}',
      bySignal(snapshot.droppedByTable),
      'signal',
    ),
    counter(
      n.refusedRequests,
      'Requests refused whole.',
      '{request}',
      {
        bad_request: snapshot.badRequests,
        throttled: snapshot.throttledRequests,
        unauthorized: snapshot.unauthorizedRequests,
      },
      'reason',
    ),
    gauge(n.queueBytes, 'Bytes waiting in the on-disk queue.', 'By', snapshot.queueBytes),
    gauge(n.queueBatches, 'Batches waiting in the on-disk queue.', '{batch}', snapshot.queueBatches),
    gauge(
      n.inFlightBytes,
      'Request bytes being decoded or awaiting durability.',
      'By',
      snapshot.inFlightBytes,
    ),
    gauge(n.storeUp, 'Whether the last write to the store succeeded.', '1', snapshot.storeUp ? 1 : 0),
  ];
  if (snapshot.refusalsBySender.length > 0) {
    const bySender = (name: string, description: string, unit: string, key: 'items' | 'requests'): Metric =>
      cumulativeSum(
        name,
        description,
        unit,
        snapshot.refusalsBySender.map((c) =>
          point({ sender: c.sender, reason: c.reason, signal: c.signal }, c[key]),
        ),
      );
    metrics.push(
      bySender(
        n.senderRefusedItems,
        'Items refused, by sender (service.name, "unknown" when not decoded, "other" past the cap), reason and signal.',
        '{item}',
        'items',
      ),
      bySender(
        n.senderRefusedRequests,
        'Requests refused whole or answered with rejected items, by sender, reason and signal.',
        '{request}',
        'requests',
      ),
    );
  }
  if (snapshot.insertLatency.length > 0)
    metrics.push({
      name: n.insertDuration,
      description: 'Time the store took per insert (direct or replayed), by signal and outcome.',
      unit: 's',
      type: 'histogram',
      temporality: Temporality.cumulative,
      points: snapshot.insertLatency.map((s) => ({
        attributes: { signal: s.signal, outcome: s.outcome },
        startTimeUnixNano: options.startUnixNano,
        timeUnixNano: options.timeUnixNano,
        count: s.count,
        sum: s.sum,
        bucketCounts: [...s.bucketCounts],
        explicitBounds: [...insertLatencyBounds],
        // Over the collector's lifetime: the delta rows keep them as bounds, not per-window values.
        min: s.min,
        max: s.max,
        flags: 0,
        exemplars: [],
      })),
    });
  return [
    {
      resource: {
        attributes: { 'service.name': options.serviceName, 'service.instance.id': options.instance },
        schemaUrl: '',
      },
      scopeMetrics: [
        {
          scope: {
            name: 'collector/self-telemetry',
            version: '0.1.0',
            attributes: {},
            droppedAttributesCount: 0,
            schemaUrl: '',
          },
          metrics,
        },
      ],
    },
  ];
}
