// The dashboard's reads of the telemetry tables: a service's routes (through the collector's
// grouped buckets), and where the shared metric builder does not reach: errors by status and
// route, traces, the collector's refusals by sender. Every input is a query
// parameter ({name:Type}); table and column names are fixed here.
import type { Store } from 'collector';
import { type HistogramBucketRow, queryGroupedBuckets } from 'collector/query';
import { API_TRAFFIC, apiTrafficSql } from '../lib/api-traffic.ts';

type Client = Store['client'];
const HTTP = 'http.server.request.duration';

async function rows<T>(client: Client, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const windowParams = (service: string, w: { from: number; to: number }) => ({
  service,
  metric: HTTP,
  from: Math.round(w.from),
  to: Math.round(w.to),
});
const metricWindow = `ServiceName = {service:String} AND MetricName = {metric:String}
  AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({to:Int64})`;

export type RouteBucketRow = HistogramBucketRow & { route: string };

/**
 * The service's HTTP histogram summed per route and step (bucket counts, count, sum, min, max and
 * 5xx answers as `matching`), the API's traffic only: one query feeds every route's figures and
 * charts. The collector's grouped buckets: long aligned windows read its rollups.
 */
export async function readRouteBuckets(
  client: Client,
  service: string,
  window: { from: number; to: number },
  stepSeconds: number,
): Promise<RouteBucketRow[]> {
  const found = await queryGroupedBuckets(client, {
    metric: HTTP,
    serviceName: service,
    where: [...API_TRAFFIC],
    window,
    by: ['http.route'],
    stepSeconds,
    countWhere: [{ key: 'http.response.status_code', op: '>=', value: 500 }],
  });
  return found.map(({ group, ...row }) => ({ ...row, route: group[0] ?? '' }));
}

export interface ErrorGroup {
  route: string;
  status: number;
  count: number;
}

/** The API's answers with status ≥ 400 grouped by route and status, most frequent first. */
export async function readErrorsByStatus(
  client: Client,
  service: string,
  window: { from: number; to: number },
  limit = 20,
): Promise<ErrorGroup[]> {
  const found = await rows<{ route: string; status: string; count: string | number }>(
    client,
    `SELECT Attributes['http.route'] AS route, Attributes['http.response.status_code'] AS status,
       sum(Count) AS count FROM otel_metrics_histogram
     WHERE ${metricWindow} AND ${apiTrafficSql('Attributes')}
       AND toUInt16OrZero(Attributes['http.response.status_code']) >= 400
     GROUP BY route, status ORDER BY count DESC, route LIMIT {limit:UInt32}`,
    { ...windowParams(service, window), limit },
  );
  return found.map((r) => ({ route: r.route, status: Number(r.status), count: Number(r.count) }));
}

export interface TraceSummary {
  traceId: string;
  name: string;
  start: number;
  durationMs: number;
  status: string;
  httpStatus: string;
}

/** The slowest server spans of the API's traffic in the window (one row per request). */
export async function readSlowestTraces(
  client: Client,
  service: string,
  window: { from: number; to: number },
  route: string | null,
  limit = 15,
): Promise<TraceSummary[]> {
  const found = await rows<{
    traceId: string;
    name: string;
    start: string | number;
    duration: string | number;
    status: string;
    httpStatus: string;
  }>(
    client,
    `SELECT TraceId AS traceId, SpanName AS name, toUnixTimestamp64Milli(Timestamp) AS start,
       Duration AS duration, StatusCode AS status, SpanAttributes['http.response.status_code'] AS httpStatus
     FROM otel_traces
     WHERE ServiceName = {service:String} AND SpanKind = 'Server'
       AND Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp < fromUnixTimestamp64Milli({to:Int64})
       AND ${apiTrafficSql('SpanAttributes')}
       AND ({route:String} = '' OR SpanAttributes['http.route'] = {route:String})
     ORDER BY Duration DESC LIMIT {limit:UInt32}`,
    { ...windowParams(service, window), route: route ?? '', limit },
  );
  return found.map((r) => ({
    traceId: r.traceId,
    name: r.name,
    start: Number(r.start),
    durationMs: Number(r.duration) / 1e6,
    status: r.status,
    httpStatus: r.httpStatus,
  }));
}

export interface SpanRow {
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  kind: string;
  /** Unix ms with sub-ms precision. */
  start: number;
  durationMs: number;
  status: string;
}

/** Every span of one trace, in start order (at most `limit`). */
export async function readTraceSpans(client: Client, traceId: string, limit = 500): Promise<SpanRow[]> {
  const found = await rows<{
    spanId: string;
    parentSpanId: string;
    name: string;
    service: string;
    kind: string;
    startUs: string | number;
    duration: string | number;
    status: string;
  }>(
    client,
    `SELECT SpanId AS spanId, ParentSpanId AS parentSpanId, SpanName AS name, ServiceName AS service,
       SpanKind AS kind, toUnixTimestamp64Micro(Timestamp) AS startUs, Duration AS duration, StatusCode AS status
     FROM otel_traces WHERE TraceId = {traceId:String} ORDER BY Timestamp LIMIT {limit:UInt32}`,
    { traceId, limit },
  );
  return found.map((r) => ({
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    name: r.name,
    service: r.service,
    kind: r.kind,
    start: Number(r.startUs) / 1000,
    durationMs: Number(r.duration) / 1e6,
    status: r.status,
  }));
}

export interface StoredSenderRefusal {
  sender: string;
  reason: string;
  signal: string;
  items: number;
  requests: number;
  /** Unix ms of the last self-telemetry interval with a refusal (its end). */
  lastAt: number;
}

/**
 * A collector's refusals by sender, reason and signal over the window, from the delta rows of the
 * two per-sender counters it writes about itself (collector.sender.refused_items / _requests).
 */
export async function readSenderRefusals(
  client: Client,
  service: string,
  metrics: { items: string; requests: string },
  window: { from: number; to: number },
  limit = 200,
): Promise<StoredSenderRefusal[]> {
  const found = await rows<Record<string, string | number>>(
    client,
    `SELECT Attributes['sender'] AS sender, Attributes['reason'] AS reason, Attributes['signal'] AS signal,
       sumIf(Value, MetricName = {items:String}) AS items, sumIf(Value, MetricName = {requests:String}) AS requests,
       toUnixTimestamp64Milli(max(TimeUnix)) AS lastAt
     FROM otel_metrics_sum
     WHERE ServiceName = {service:String} AND MetricName IN ({items:String}, {requests:String})
       AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({to:Int64})
       AND Value > 0
     GROUP BY sender, reason, signal ORDER BY items DESC, requests DESC, sender LIMIT {limit:UInt32}`,
    { service, ...metrics, from: Math.round(window.from), to: Math.round(window.to), limit },
  );
  return found.map((r) => ({
    sender: String(r.sender),
    reason: String(r.reason),
    signal: String(r.signal),
    items: Number(r.items),
    requests: Number(r.requests),
    lastAt: Number(r.lastAt),
  }));
}
