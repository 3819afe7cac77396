// Decodes an OTLP/JSON traces request (proto3 JSON mapping: lowerCamelCase keys, int64 as strings
// or numbers, enums as integers, trace and span ids as hex) into the same model as the protobuf
// decoder. Unknown fields are ignored, as the spec requires; wrong types are a 400 with the path.
import { z } from 'zod';
import { attributes, hexId, nanos, parse, resource, scope } from './json-common.ts';
import type { ResourceSpans, Span } from './model.ts';

const span = z
  .object({
    traceId: hexId,
    spanId: hexId,
    parentSpanId: hexId,
    traceState: z.string().optional(),
    name: z.string().optional(),
    kind: z.number().int().optional(),
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    attributes,
    events: z.array(z.object({ timeUnixNano: nanos, name: z.string().optional(), attributes })).optional(),
    links: z
      .array(z.object({ traceId: hexId, spanId: hexId, traceState: z.string().optional(), attributes }))
      .optional(),
    status: z.object({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
  })
  .transform(
    (s): Span => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      traceState: s.traceState ?? '',
      name: s.name ?? '',
      kind: s.kind ?? 0,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes: s.attributes,
      events: (s.events ?? []).map((e) => ({
        timeUnixNano: e.timeUnixNano,
        name: e.name ?? '',
        attributes: e.attributes,
      })),
      links: (s.links ?? []).map((l) => ({ ...l, traceState: l.traceState ?? '' })),
      statusCode: s.status?.code ?? 0,
      statusMessage: s.status?.message ?? '',
    }),
  );

const tracesRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource,
        schemaUrl: z.string().optional(),
        scopeSpans: z
          .array(z.object({ scope, schemaUrl: z.string().optional(), spans: z.array(span).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

export function decodeTracesJson(body: Uint8Array): ResourceSpans[] {
  return (parse(tracesRequest, body).resourceSpans ?? []).map((rs) => ({
    resource: { attributes: rs.resource.attributes, schemaUrl: rs.schemaUrl ?? '' },
    scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
      scope: { ...ss.scope, schemaUrl: ss.schemaUrl ?? '' },
      spans: ss.spans ?? [],
    })),
  }));
}
