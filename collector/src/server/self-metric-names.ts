// The names of the collector's own metrics in the store (under its own ServiceName), for the
// writer (self-telemetry-store.ts) and for readers of them such as the dashboard's System page.
// No imports: it belongs to the bundle-safe `collector/query` surface.

export const selfMetricNames = {
  received: 'collector.received',
  accepted: 'collector.accepted',
  rejected: 'collector.rejected',
  written: 'collector.written',
  queued: 'collector.queued',
  replayed: 'collector.replayed',
  dropped: 'collector.dropped',
  refusedRequests: 'collector.requests.refused',
  queueBytes: 'collector.queue.bytes',
  queueBatches: 'collector.queue.batches',
  inFlightBytes: 'collector.in_flight.bytes',
  storeUp: 'collector.store.up',
  insertDuration: 'collector.store.insert.duration',
  /** Refusals by sender, reason and signal (see sender-refusals.ts). */
  senderRefusedItems: 'collector.sender.refused_items',
  senderRefusedRequests: 'collector.sender.refused_requests',
} as const;
