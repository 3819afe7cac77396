// Maps decoded OTLP logs to rows of the exporter's otel_logs table. A record without any time
// takes its observed time (as the exporter does); one with none at all, or beyond what
// DateTime64(9) holds, is rejected (→ partial_success) rather than failing the whole insert.
import type { ResourceLogs } from '../otlp/model.ts';
import { addRejection, noRejections, type Rejections } from './rejections.ts';
import { MAX_STORABLE_NANOS, nanosToDateTime64, type Row } from './row-columns.ts';

export function logRows(data: ResourceLogs[]): Rejections & { rows: Row[] } {
  const rows: Row[] = [];
  const rejections = noRejections();
  for (const { resource, scopeLogs } of data) {
    const serviceName = resource.attributes['service.name'] ?? '';
    for (const { scope, logRecords } of scopeLogs) {
      for (const log of logRecords) {
        const time = log.timeUnixNano > 0n ? log.timeUnixNano : log.observedTimeUnixNano;
        const problem =
          time <= 0n
            ? 'log record without time_unix_nano or observed_time_unix_nano'
            : time > MAX_STORABLE_NANOS
              ? 'log time after 2262-04-11'
              : (log.traceId !== '' && log.traceId.length !== 32) ||
                  (log.spanId !== '' && log.spanId.length !== 16)
                ? 'trace_id must be 16 bytes and span_id 8 bytes when set'
                : null;
        if (problem) {
          addRejection(rejections, serviceName, problem);
          continue;
        }
        rows.push({
          Timestamp: nanosToDateTime64(time),
          TraceId: log.traceId,
          SpanId: log.spanId,
          TraceFlags: log.flags & 0xff,
          SeverityText: log.severityText,
          SeverityNumber: log.severityNumber,
          ServiceName: serviceName,
          Body: log.body,
          ResourceSchemaUrl: resource.schemaUrl,
          ResourceAttributes: resource.attributes,
          ScopeSchemaUrl: scope.schemaUrl,
          ScopeName: scope.name,
          ScopeVersion: scope.version,
          ScopeAttributes: scope.attributes,
          LogAttributes: log.attributes,
          EventName: log.eventName,
        });
      }
    }
  }
  return { rows, ...rejections };
}
