// Decodes an ExportTraceServiceRequest (opentelemetry-proto trace/v1) from protobuf.
import {
  type Attributes,
  emptyScope,
  type ResourceSpans,
  type Scope,
  type ScopeSpans,
  type Span,
} from './model.ts';
import { readAttribute, readResource, readScope, wrapDecode } from './proto-common.ts';
import { ProtoReader, WireType } from './proto-reader.ts';

export function decodeTracesProto(body: Uint8Array): ResourceSpans[] {
  return wrapDecode(() => {
    const r = new ProtoReader(body);
    const out: ResourceSpans[] = [];
    while (r.hasMore()) {
      const [field, wire] = r.tag();
      if (field === 1 && wire === WireType.len) out.push(readResourceSpans(r.sub()));
      else r.skip(wire);
    }
    return out;
  });
}

function readResourceSpans(r: ProtoReader): ResourceSpans {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl = '';
  const scopeSpans: ScopeSpans[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) resourceReader = r.sub();
    else if (field === 2 && wire === WireType.len) scopeSpans.push(readScopeSpans(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  return {
    resource: resourceReader ? readResource(resourceReader, schemaUrl) : { attributes: {}, schemaUrl },
    scopeSpans,
  };
}

function readScopeSpans(r: ProtoReader): ScopeSpans {
  let scope: Scope = emptyScope();
  const spans: Span[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) scope = readScope(r.sub());
    else if (field === 2 && wire === WireType.len) spans.push(readSpan(r.sub()));
    else if (field === 3 && wire === WireType.len) scope.schemaUrl = r.string();
    else r.skip(wire);
  }
  return { scope, spans };
}

function readSpan(r: ProtoReader): Span {
  const s: Span = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) s.traceId = r.hex();
    else if (field === 2 && wire === WireType.len) s.spanId = r.hex();
    else if (field === 3 && wire === WireType.len) s.traceState = r.string();
    else if (field === 4 && wire === WireType.len) s.parentSpanId = r.hex();
    else if (field === 5 && wire === WireType.len) s.name = r.string();
    else if (field === 6 && wire === WireType.varint) s.kind = r.varint();
    else if (field === 7 && wire === WireType.fixed64) s.startTimeUnixNano = r.fixed64();
    else if (field === 8 && wire === WireType.fixed64) s.endTimeUnixNano = r.fixed64();
    else if (field === 9 && wire === WireType.len) readAttribute(r.sub(), s.attributes);
    else if (field === 11 && wire === WireType.len) s.events.push(readEvent(r.sub()));
    else if (field === 13 && wire === WireType.len) s.links.push(readLink(r.sub()));
    else if (field === 15 && wire === WireType.len) readStatus(r.sub(), s);
    else r.skip(wire);
  }
  return s;
}

function readEvent(r: ProtoReader): Span['events'][number] {
  const attributes: Attributes = {};
  let timeUnixNano = 0n;
  let name = '';
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.fixed64) timeUnixNano = r.fixed64();
    else if (field === 2 && wire === WireType.len) name = r.string();
    else if (field === 3 && wire === WireType.len) readAttribute(r.sub(), attributes);
    else r.skip(wire);
  }
  return { timeUnixNano, name, attributes };
}

function readLink(r: ProtoReader): Span['links'][number] {
  const link = { traceId: '', spanId: '', traceState: '', attributes: {} as Attributes };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) link.traceId = r.hex();
    else if (field === 2 && wire === WireType.len) link.spanId = r.hex();
    else if (field === 3 && wire === WireType.len) link.traceState = r.string();
    else if (field === 4 && wire === WireType.len) readAttribute(r.sub(), link.attributes);
    else r.skip(wire);
  }
  return link;
}

function readStatus(r: ProtoReader, span: Span): void {
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === WireType.len) span.statusMessage = r.string();
    else if (field === 3 && wire === WireType.varint) span.statusCode = r.varint();
    else r.skip(wire);
  }
}
