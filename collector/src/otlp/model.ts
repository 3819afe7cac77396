// The decoded form of OTLP requests, shared by the protobuf and JSON decoders.
// Attribute values are flattened to strings the way the ClickHouse exporter stores them.

export type Attributes = Record<string, string>;

export interface Resource {
  attributes: Attributes;
  schemaUrl: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface Exemplar {
  filteredAttributes: Attributes;
  timeUnixNano: bigint;
  value: number;
  spanId: string;
  traceId: string;
}

export interface NumberPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: number;
  flags: number;
  exemplars: Exemplar[];
}

export interface HistogramPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  bucketCounts: number[];
  explicitBounds: number[];
  min: number;
  max: number;
  flags: number;
  exemplars: Exemplar[];
}

export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
  min: number;
  max: number;
  flags: number;
  exemplars: Exemplar[];
}

export interface SummaryPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
  flags: number;
  exemplars: Exemplar[];
}

/** OTLP AggregationTemporality: 1 = delta, 2 = cumulative. */
export const Temporality = { unspecified: 0, delta: 1, cumulative: 2 } as const;

interface MetricBase {
  name: string;
  description: string;
  unit: string;
}

export type Metric =
  | (MetricBase & { type: 'gauge'; points: NumberPoint[] })
  | (MetricBase & { type: 'sum'; temporality: number; isMonotonic: boolean; points: NumberPoint[] })
  | (MetricBase & { type: 'histogram'; temporality: number; points: HistogramPoint[] })
  | (MetricBase & { type: 'exponential_histogram'; temporality: number; points: ExponentialHistogramPoint[] })
  | (MetricBase & { type: 'summary'; points: SummaryPoint[] })
  /** Kinds this collector does not store yet; their points are reported as rejected. */
  | (MetricBase & { type: 'unsupported'; kind: string; pointCount: number });

export interface ScopeMetrics {
  scope: Scope;
  metrics: Metric[];
}

export interface ResourceMetrics {
  resource: Resource;
  scopeMetrics: ScopeMetrics[];
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  statusCode: number;
  statusMessage: string;
}

export interface ScopeSpans {
  scope: Scope;
  spans: Span[];
}

export interface ResourceSpans {
  resource: Resource;
  scopeSpans: ScopeSpans[];
}

export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

export function emptyScope(): Scope {
  return { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** The body flattened to a string the way the exporter stores it (JSON for maps and arrays). */
  body: string;
  attributes: Attributes;
  flags: number;
  traceId: string;
  spanId: string;
  /** OTLP's event_name (the name of an event record; '' for plain logs). */
  eventName: string;
}

export interface ScopeLogs {
  scope: Scope;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Resource;
  scopeLogs: ScopeLogs[];
}
