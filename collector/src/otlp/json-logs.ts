// Decodes OTLP/JSON logs requests into the same model as the protobuf decoder.
import { z } from 'zod';
import {
  anyValue,
  attributes,
  hexId,
  int64,
  nanos,
  parse,
  plainValue,
  resource,
  scope,
} from './json-common.ts';
import type { LogRecord, ResourceLogs } from './model.ts';
import { attributeToString } from './proto-common.ts';

const logRecord = z
  .object({
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: z.number().int().min(0).max(24).optional(),
    severityText: z.string().optional(),
    body: anyValue.optional(),
    attributes,
    flags: z.number().int().min(0).optional(),
    traceId: hexId,
    spanId: hexId,
    droppedAttributesCount: int64.optional(),
    eventName: z.string().optional(),
  })
  .transform(
    (l): LogRecord => ({
      timeUnixNano: l.timeUnixNano,
      observedTimeUnixNano: l.observedTimeUnixNano,
      severityNumber: l.severityNumber ?? 0,
      severityText: l.severityText ?? '',
      body: l.body ? attributeToString(plainValue(l.body)) : '',
      attributes: l.attributes,
      flags: l.flags ?? 0,
      traceId: l.traceId,
      spanId: l.spanId,
      eventName: l.eventName ?? '',
    }),
  );

const logsRequest = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource,
        schemaUrl: z.string().optional(),
        scopeLogs: z
          .array(
            z.object({ scope, schemaUrl: z.string().optional(), logRecords: z.array(logRecord).optional() }),
          )
          .optional(),
      }),
    )
    .optional(),
});

export function decodeLogsJson(body: Uint8Array): ResourceLogs[] {
  return (parse(logsRequest, body).resourceLogs ?? []).map((rl) => ({
    resource: { attributes: rl.resource.attributes, schemaUrl: rl.schemaUrl ?? '' },
    scopeLogs: (rl.scopeLogs ?? []).map((sl) => ({
      scope: { ...sl.scope, schemaUrl: sl.schemaUrl ?? '' },
      logRecords: sl.logRecords ?? [],
    })),
  }));
}
