// The dashboard's own reads of the telemetry tables, where the shared metric builder does not
// reach: a service's routes, errors by status and route, and its traces. Every input is a query
// parameter ({name:Type}); table and column names are fixed here.
import type { HistogramBucketRow, Store } from 'collector';
import { apiTrafficSql } from '../lib/api-traffic.ts';

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
 * 5xx answers as `matching`), the API's traffic only: one query feeds every route's figures and charts.
 */
export async function readRouteBuckets(
  client: Client,
  service: string,
  window: { from: number; to: number },
  stepSeconds: number,
): Promise<RouteBucketRow[]> {
  const found = await rows<Record<string, unknown>>(
    client,
    `SELECT Attributes['http.route'] AS route,
       toUnixTimestamp64Milli(toDateTime64(toStartOfInterval(TimeUnix, toIntervalSecond({step:UInt32})), 3)) AS t,
       ExplicitBounds AS bounds, sumForEach(BucketCounts) AS counts, sum(Count) AS count, sum(Sum) AS sum,
       min(Min) AS min, max(Max) AS max,
       sumIf(Count, toUInt16OrZero(Attributes['http.response.status_code']) >= 500) AS matching
     FROM otel_metrics_histogram
     WHERE ${metricWindow} AND ${apiTrafficSql('Attributes')}
     GROUP BY route, t, bounds ORDER BY t`,
    { ...windowParams(service, window), step: stepSeconds },
  );
  return found.map((r) => ({
    route: String(r.route),
    t: Number(r.t),
    bounds: (r.bounds as unknown[]).map(Number),
    counts: (r.counts as unknown[]).map(Number),
    count: Number(r.count),
    sum: Number(r.sum),
    min: Number(r.min),
    max: Number(r.max),
    matching: Number(r.matching),
  }));
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
