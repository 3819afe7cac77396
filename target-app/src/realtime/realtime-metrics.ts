// Real-time feed instrumentation, as OTel instruments and on the prom-client registry: open
// connections, messages sent, publish→send latency, connection lifetimes (with error.type when a
// connection ended abnormally) and price changes made. Names match the dashboard's Real-time KPIs.
import type { Meter } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { PromMetrics } from '../metrics.ts';

/** Delivery inside one machine takes well under a millisecond to tens of milliseconds. */
export const REALTIME_LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5,
];
const CONNECTION_DURATION_BUCKETS = [0.1, 1, 5, 15, 60, 300, 900, 3600];

export type RealtimeMetrics = {
  opened(): void;
  closed(seconds: number, errorType: string | undefined): void;
  sent(type: 'price' | 'watching' | 'error', latencySeconds?: number): void;
  /** A message not sent because the client reads too slowly (its buffer is full). */
  dropped(): void;
  priceChanges(count: number): void;
};

export function createRealtimeMetrics(meter: Meter, prom: PromMetrics): RealtimeMetrics {
  const connections = meter.createUpDownCounter('realtime.connections', {
    unit: '{connection}',
    description: 'Open WebSocket connections to the price feed.',
  });
  const messages = meter.createCounter('realtime.messages.sent', {
    unit: '{message}',
    description: 'Messages sent to WebSocket clients.',
  });
  const dropped = meter.createCounter('realtime.messages.dropped', {
    unit: '{message}',
    description: 'Price messages skipped because the client was not reading.',
  });
  const latency = meter.createHistogram('realtime.message.latency', {
    unit: 's',
    description: 'Time from a committed price change to its message being written to a client socket.',
    advice: { explicitBucketBoundaries: REALTIME_LATENCY_BUCKETS },
  });
  const lifetimes = meter.createHistogram('realtime.connection.duration', {
    unit: 's',
    description: 'How long WebSocket connections stayed open; error.type marks abnormal endings.',
    advice: { explicitBucketBoundaries: CONNECTION_DURATION_BUCKETS },
  });
  const changes = meter.createCounter('realtime.price.changes', {
    unit: '{change}',
    description: 'Car prices changed by the in-service price changer.',
  });

  const registers = [prom.registry];
  const promConnections = new Gauge({
    name: 'realtime_connections',
    help: 'Open WebSocket connections to the price feed.',
    registers,
  });
  const promMessages = new Counter({
    name: 'realtime_messages_sent_total',
    help: 'Messages sent to WebSocket clients, by type.',
    labelNames: ['type'],
    registers,
  });
  const promDropped = new Counter({
    name: 'realtime_messages_dropped_total',
    help: 'Price messages skipped because the client was not reading.',
    registers,
  });
  const promLatency = new Histogram({
    name: 'realtime_message_latency_seconds',
    help: 'Time from a committed price change to its message being written to a client socket.',
    buckets: REALTIME_LATENCY_BUCKETS,
    registers,
  });
  const promLifetimes = new Histogram({
    name: 'realtime_connection_duration_seconds',
    help: 'How long WebSocket connections stayed open.',
    labelNames: ['error_type'],
    buckets: CONNECTION_DURATION_BUCKETS,
    registers,
  });
  const promChanges = new Counter({
    name: 'realtime_price_changes_total',
    help: 'Car prices changed by the in-service price changer.',
    registers,
  });

  return {
    opened() {
      connections.add(1);
      promConnections.inc();
    },
    closed(seconds, errorType) {
      connections.add(-1);
      promConnections.dec();
      lifetimes.record(seconds, errorType === undefined ? {} : { [ATTR_ERROR_TYPE]: errorType });
      promLifetimes.observe({ error_type: errorType ?? '' }, seconds);
    },
    sent(type, latencySeconds) {
      messages.add(1, { 'realtime.message.type': type });
      promMessages.inc({ type });
      if (latencySeconds !== undefined) {
        latency.record(latencySeconds);
        promLatency.observe(latencySeconds);
      }
    },
    dropped() {
      dropped.add(1);
      promDropped.inc();
    },
    priceChanges(count) {
      changes.add(count);
      promChanges.inc(count);
    },
  };
}
