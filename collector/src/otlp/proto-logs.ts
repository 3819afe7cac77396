// Decodes an ExportLogsServiceRequest (opentelemetry-proto logs/v1) from protobuf.
import { emptyScope, type LogRecord, type ResourceLogs, type Scope, type ScopeLogs } from './model.ts';
import {
  attributeToString,
  readAnyValue,
  readAttribute,
  readResource,
  readScope,
  wrapDecode,
} from './proto-common.ts';
import { ProtoReader, WireType } from './proto-reader.ts';

export function decodeLogsProto(body: Uint8Array): ResourceLogs[] {
  return wrapDecode(() => {
    const r = new ProtoReader(body);
    const out: ResourceLogs[] = [];
    while (r.hasMore()) {
      const [field, wire] = r.tag();
      if (field === 1 && wire === WireType.len) out.push(readResourceLogs(r.sub()));
      else r.skip(wire);
    }
    return out;
  });
}

function readResourceLogs(r: ProtoReader): ResourceLogs {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl = '';
  const scopeLogs: ScopeLogs[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) resourceReader = r.sub();
    else if (field === 2 && wire === WireType.len) scopeLogs.push(readScopeLogs(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  return {
    resource: resourceReader ? readResource(resourceReader, schemaUrl) : { attributes: {}, schemaUrl },
    scopeLogs,
  };
}

function readScopeLogs(r: ProtoReader): ScopeLogs {
  let scope: Scope = emptyScope();
  const logRecords: LogRecord[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) scope = readScope(r.sub());
    else if (field === 2 && wire === WireType.len) logRecords.push(readLogRecord(r.sub()));
    else if (field === 3 && wire === WireType.len) scope.schemaUrl = r.string();
    else r.skip(wire);
  }
  return { scope, logRecords };
}

function readLogRecord(r: ProtoReader): LogRecord {
  const log: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: '',
    attributes: {},
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.fixed64) log.timeUnixNano = r.fixed64();
    else if (field === 2 && wire === WireType.varint) log.severityNumber = r.varint();
    else if (field === 3 && wire === WireType.len) log.severityText = r.string();
    else if (field === 5 && wire === WireType.len) log.body = attributeToString(readAnyValue(r.sub()));
    else if (field === 6 && wire === WireType.len) readAttribute(r.sub(), log.attributes);
    else if (field === 8 && wire === WireType.fixed32) log.flags = r.fixed32();
    else if (field === 9 && wire === WireType.len) log.traceId = r.hex();
    else if (field === 10 && wire === WireType.len) log.spanId = r.hex();
    else if (field === 11 && wire === WireType.fixed64) log.observedTimeUnixNano = r.fixed64();
    else if (field === 12 && wire === WireType.len) log.eventName = r.string();
    else r.skip(wire);
  }
  return log;
}
