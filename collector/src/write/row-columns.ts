// Column values every row kind shares: the store's DateTime64(9) text, exemplar columns, and the
// time and count checks that keep one bad point from failing a whole insert.
import type { Exemplar } from '../otlp/model.ts';

export type Row = Record<string, unknown>;

/**
 * DateTime64(9) as "seconds.nanoseconds", which ClickHouse parses exactly — provided the seconds
 * have at least 10 digits: shorter numbers are read as dates ("1.5" → 1 May).
 */
export function nanosToDateTime64(nanos: bigint): string {
  // Cut the decimal digits rather than divide: BigInt division per timestamp shows up in ingest CPU.
  const digits = nanos.toString().padStart(19, '0');
  return `${digits.slice(0, -9)}.${digits.slice(-9)}`;
}

export function exemplarColumns(exemplars: Exemplar[]): Row {
  return {
    'Exemplars.FilteredAttributes': exemplars.map((e) => e.filteredAttributes),
    'Exemplars.TimeUnix': exemplars.map((e) => nanosToDateTime64(e.timeUnixNano)),
    'Exemplars.Value': exemplars.map((e) => e.value),
    'Exemplars.SpanId': exemplars.map((e) => e.spanId),
    'Exemplars.TraceId': exemplars.map((e) => e.traceId),
  };
}

/** The last instant DateTime64(9) can hold (2262-04-11): later times would fail the whole insert. */
export const MAX_STORABLE_NANOS = 9_223_372_036_854_775_807n;

export function invalidTimes(p: { timeUnixNano: bigint; startTimeUnixNano: bigint; exemplars: Exemplar[] }) {
  if (p.timeUnixNano <= 0n) return 'data point without time_unix_nano';
  if (p.timeUnixNano > MAX_STORABLE_NANOS) return 'time_unix_nano after 2262-04-11';
  if (p.startTimeUnixNano < 0n || p.startTimeUnixNano > MAX_STORABLE_NANOS)
    return 'start_time_unix_nano after 2262-04-11';
  if (p.exemplars.some((e) => e.timeUnixNano < 0n || e.timeUnixNano > MAX_STORABLE_NANOS))
    return 'exemplar time after 2262-04-11';
  return null;
}

export const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;
