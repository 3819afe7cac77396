// INSERT … SELECT statements that let ClickHouse generate the telemetry itself (a Node loop
// serialising JSON would be the bottleneck, not the store). Each statement covers one slice of
// time (or of spans), so the caller can report progress; the rollup materialised views fire on
// these inserts exactly as on the collector's. Every value comes in as a query parameter.
import { HISTOGRAM_SERIES, ROUTES, VALUE_SERIES, type ValueSeries } from './telemetry-model.ts';

export interface Statement {
  query: string;
  query_params: Record<string, unknown>;
}

/** Slow daily swing (peak mid-day UTC) applied to rates and values. */
const daily = (amplitude: string) => `(1 + ${amplitude} * sin(2 * pi() * ((t % 86400) / 86400 - 0.25)))`;

/** One row per histogram series per second in [from, from + seconds), sparse series thinned. */
export function histogramSlice(from: number, seconds: number): Statement {
  const s = HISTOGRAM_SERIES;
  return {
    query: `INSERT INTO otel_metrics_histogram (ResourceAttributes, ScopeName, ServiceName, MetricName,
        MetricUnit, Attributes, StartTimeUnix, TimeUnix, Count, Sum, BucketCounts, ExplicitBounds, Min, Max,
        AggregationTemporality)
      SELECT map('service.name', svc), 'bench-generator', svc, metric, unit, attrs,
        toDateTime64(t - 1, 9), toDateTime64(t, 9), n, n * exp(mu + sigma * sigma / 2),
        arrayMap(x -> toUInt64(greatest(x, 0)), arrayPopFront(arrayDifference(arrayConcat([toInt64(0)], cum, [toInt64(n)])))),
        bounds, exp(mu - 2 * sigma), exp(mu + 2.5 * sigma), 1
      FROM (
        SELECT number % {series:UInt32} + 1 AS s, {from:UInt32} + intDiv(number, {series:UInt32}) AS t,
          {services:Array(String)}[s] AS svc, {metrics:Array(String)}[s] AS metric, {units:Array(String)}[s] AS unit,
          mapFromArrays({keys:Array(Array(String))}[s], {values:Array(Array(String))}[s]) AS attrs,
          {bounds:Array(Array(Float64))}[s] AS bounds, {sigmas:Array(Float64)}[s] AS sigma,
          log({medians:Array(Float64)}[s]) * (1 + 0.05 * sin(t / 600)) AS mu,
          toUInt64(greatest(1, round({rates:Array(Float64)}[s] * ${daily('0.4')} * (0.75 + 0.5 * randCanonical())))) AS n,
          arrayMap(b -> toInt64(round(n * 0.5 * (1 + erf((log(greatest(b, 1e-9)) - mu) / (sigma * sqrt(2)))))), bounds) AS cum
        FROM numbers({seconds:UInt64} * {series:UInt32})
        WHERE cityHash64(number, {from:UInt32}) % 10000 < {presence:Array(Float64)}[s] * 10000
      )`,
    query_params: {
      from,
      seconds,
      series: s.length,
      services: s.map((x) => x.service),
      metrics: s.map((x) => x.metric),
      units: s.map((x) => x.unit),
      keys: s.map((x) => Object.keys(x.attributes)),
      values: s.map((x) => Object.values(x.attributes)),
      bounds: s.map((x) => x.bounds),
      sigmas: s.map((x) => x.sigma),
      medians: s.map((x) => x.median),
      rates: s.map((x) => x.rate),
      presence: s.map((x) => x.presence),
    },
  };
}

/** Gauge or sum points of the series stored in `table`, one per series step in the slice. */
export function valueSlice(table: ValueSeries['table'], from: number, seconds: number): Statement {
  const s = VALUE_SERIES.filter((x) => x.table === table);
  const sumColumns = table === 'otel_metrics_sum';
  return {
    query: `INSERT INTO ${table} (ResourceAttributes, ScopeName, ServiceName, MetricName, MetricUnit, Attributes,
        StartTimeUnix, TimeUnix, Value${sumColumns ? ', AggregationTemporality, IsMonotonic' : ''})
      SELECT map('service.name', svc), 'bench-generator', svc, metric, unit, attrs,
        toDateTime64(t - step, 9), toDateTime64(t, 9),
        if(monotonic, round(v), v)${sumColumns ? ', temporality, monotonic' : ''}
      FROM (
        SELECT number % {series:UInt32} + 1 AS s, {from:UInt32} + intDiv(number, {series:UInt32}) AS t,
          {services:Array(String)}[s] AS svc, {metrics:Array(String)}[s] AS metric, {units:Array(String)}[s] AS unit,
          mapFromArrays({keys:Array(Array(String))}[s], {values:Array(Array(String))}[s]) AS attrs,
          {steps:Array(UInt32)}[s] AS step, {temporalities:Array(Int32)}[s] AS temporality,
          {monotonic:Array(UInt8)}[s] = 1 AS monotonic,
          {bases:Array(Float64)}[s] * ${daily('{dailies:Array(Float64)}[s]')}
            * (1 + {noises:Array(Float64)}[s] * (2 * randCanonical() - 1)) AS v
        FROM numbers({seconds:UInt64} * {series:UInt32})
        WHERE t % step = 0
      )`,
    query_params: {
      from,
      seconds,
      series: s.length,
      services: s.map((x) => x.service),
      metrics: s.map((x) => x.metric),
      units: s.map((x) => x.unit),
      keys: s.map((x) => Object.keys(x.attributes)),
      values: s.map((x) => Object.values(x.attributes)),
      steps: s.map((x) => x.step),
      temporalities: s.map((x) => x.temporality),
      monotonic: s.map((x) => (x.monotonic ? 1 : 0)),
      bases: s.map((x) => x.base),
      dailies: s.map((x) => x.daily),
      noises: s.map((x) => x.noise),
    },
  };
}

export const SPANS_PER_TRACE = 5;

/**
 * Spans [first, first + count) of `total`, spread evenly over [from, from + seconds): traces of
 * five spans (the server span, two PostgreSQL queries, a Redis call, serialisation), 1 % failed.
 */
export function spanSlice(
  first: number,
  count: number,
  total: number,
  from: number,
  seconds: number,
): Statement {
  const hex = (expr: string) => `lower(hex(reinterpretAsFixedString(${expr})))`;
  return {
    query: `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
        ResourceAttributes, ScopeName, SpanAttributes, Duration, StatusCode, StatusMessage)
      SELECT toDateTime64(start + k * 0.002, 9), ${hex('cityHash64(tr, 1)')} || ${hex('cityHash64(tr, 2)')},
        ${hex('cityHash64(i, 3)')}, if(k = 0, '', ${hex(`cityHash64(tr * ${SPANS_PER_TRACE}, 3)`)}),
        [concat(method, ' ', route), 'pg.query SELECT', 'redis GET', 'pg.query SELECT', 'serialize'][k + 1],
        ['Server', 'Client', 'Client', 'Client', 'Internal'][k + 1], svc, map('service.name', svc), 'bench-generator',
        if(k = 0, map('http.route', route, 'http.request.method', method, 'http.response.status_code', if(failed, '500', '200')),
           map('db.system.name', if(k = 2, 'redis', 'postgresql'))),
        toUInt64(rootNs * [1, 0.3, 0.05, 0.2, 0.1][k + 1]),
        if(failed AND k = 0, 'Error', 'Unset'), if(failed AND k = 0, 'internal error', '')
      FROM (
        SELECT number AS i, intDiv(i, ${SPANS_PER_TRACE}) AS tr, i % ${SPANS_PER_TRACE} AS k,
          cityHash64(tr, 4) % {routeCount:UInt32} + 1 AS r,
          {services:Array(String)}[r] AS svc, {routes:Array(String)}[r] AS route, {methods:Array(String)}[r] AS method,
          {from:UInt32} + tr * ${SPANS_PER_TRACE} * {seconds:Float64} / {total:UInt64} AS start,
          cityHash64(tr, 5) % 100 = 0 AS failed,
          exp(log({medians:Array(Float64)}[r]) + 0.5 * ((cityHash64(tr, 6) % 2000) / 1000 - 1)) * 1e9 AS rootNs
        FROM numbers({first:UInt64}, {count:UInt64})
      )`,
    query_params: {
      first,
      count,
      total,
      from,
      seconds,
      routeCount: ROUTES.length,
      services: ROUTES.map((r) => r.service),
      routes: ROUTES.map((r) => r.route),
      methods: ROUTES.map((r) => r.method),
      medians: ROUTES.map((r) => r.median),
    },
  };
}
