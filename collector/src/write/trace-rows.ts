// Maps decoded OTLP spans to rows of otel_traces (the exporter's layout). Invalid spans are counted
// as rejected (→ OTLP partial_success) instead of failing the whole request.
import type { ResourceSpans } from '../otlp/model.ts';
import { addRejection, noRejections, type Rejections } from './rejections.ts';
import { MAX_STORABLE_NANOS, nanosToDateTime64, type Row } from './row-columns.ts';

const spanKinds = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
const statusCodes = ['Unset', 'Ok', 'Error'] as const;

export function traceRows(data: ResourceSpans[]): Rejections & { rows: Row[] } {
  const rows: Row[] = [];
  const rejections = noRejections();
  for (const { resource, scopeSpans } of data) {
    const serviceName = resource.attributes['service.name'] ?? '';
    for (const { scope, spans } of scopeSpans) {
      for (const span of spans) {
        const problem =
          span.traceId.length !== 32 || /^0+$/.test(span.traceId)
            ? 'trace_id must be 16 non-zero bytes'
            : span.spanId.length !== 16 || /^0+$/.test(span.spanId)
              ? 'span_id must be 8 non-zero bytes'
              : span.startTimeUnixNano <= 0n
                ? 'span without start_time_unix_nano'
                : span.startTimeUnixNano > MAX_STORABLE_NANOS ||
                    span.endTimeUnixNano > MAX_STORABLE_NANOS ||
                    span.events.some((e) => e.timeUnixNano > MAX_STORABLE_NANOS)
                  ? 'span time after 2262-04-11'
                  : null;
        if (problem) {
          addRejection(rejections, serviceName, `${span.name || '(unnamed span)'}: ${problem}`);
          continue;
        }
        const duration =
          span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
        rows.push({
          Timestamp: nanosToDateTime64(span.startTimeUnixNano),
          TraceId: span.traceId,
          SpanId: span.spanId,
          ParentSpanId: span.parentSpanId,
          TraceState: span.traceState,
          SpanName: span.name,
          SpanKind: spanKinds[span.kind] ?? 'Unspecified',
          ServiceName: serviceName,
          ResourceAttributes: resource.attributes,
          ScopeName: scope.name,
          ScopeVersion: scope.version,
          SpanAttributes: span.attributes,
          Duration: duration.toString(),
          StatusCode: statusCodes[span.statusCode] ?? 'Unset',
          StatusMessage: span.statusMessage,
          'Events.Timestamp': span.events.map((e) => nanosToDateTime64(e.timeUnixNano)),
          'Events.Name': span.events.map((e) => e.name),
          'Events.Attributes': span.events.map((e) => e.attributes),
          'Links.TraceId': span.links.map((l) => l.traceId),
          'Links.SpanId': span.links.map((l) => l.spanId),
          'Links.TraceState': span.links.map((l) => l.traceState),
          'Links.Attributes': span.links.map((l) => l.attributes),
        });
      }
    }
  }
  return { rows, ...rejections };
}
