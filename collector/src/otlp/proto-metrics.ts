// Decodes an ExportMetricsServiceRequest (opentelemetry-proto metrics/v1) from protobuf: resources,
// scopes and metrics; each kind's data points are read in proto-points.ts.
import {
  emptyScope,
  type Metric,
  type Resource,
  type ResourceMetrics,
  type Scope,
  type ScopeMetrics,
} from './model.ts';
import { readResource, readScope, wrapDecode } from './proto-common.ts';
import {
  readExponentialHistogramData,
  readHistogramData,
  readNumberData,
  readSummaryData,
} from './proto-points.ts';
import { ProtoReader, WireType } from './proto-reader.ts';

export function decodeMetricsProto(body: Uint8Array): ResourceMetrics[] {
  return wrapDecode(() => {
    const r = new ProtoReader(body);
    const out: ResourceMetrics[] = [];
    while (r.hasMore()) {
      const [field, wire] = r.tag();
      if (field === 1 && wire === WireType.len) out.push(readResourceMetrics(r.sub()));
      else r.skip(wire);
    }
    return out;
  });
}

function readResourceMetrics(r: ProtoReader): ResourceMetrics {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) resourceReader = r.sub();
    else if (field === 2 && wire === WireType.len) scopeMetrics.push(readScopeMetrics(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  const resource: Resource = resourceReader
    ? readResource(resourceReader, schemaUrl)
    : { attributes: {}, schemaUrl };
  return { resource, scopeMetrics };
}

function readScopeMetrics(r: ProtoReader): ScopeMetrics {
  let scope: Scope = emptyScope();
  let schemaUrl = '';
  const metrics: Metric[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) scope = readScope(r.sub());
    else if (field === 2 && wire === WireType.len) metrics.push(readMetric(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  return { scope: { ...scope, schemaUrl }, metrics };
}

function readMetric(r: ProtoReader): Metric {
  const base = { name: '', description: '', unit: '' };
  let metric: Metric | undefined;
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) base.name = r.string();
    else if (field === 2 && wire === WireType.len) base.description = r.string();
    else if (field === 3 && wire === WireType.len) base.unit = r.string();
    else if (field === 5 && wire === WireType.len)
      metric = { ...base, type: 'gauge', points: readNumberData(r.sub()).points };
    else if (field === 7 && wire === WireType.len) {
      const data = readNumberData(r.sub());
      metric = {
        ...base,
        type: 'sum',
        temporality: data.temporality,
        isMonotonic: data.isMonotonic,
        points: data.points,
      };
    } else if (field === 9 && wire === WireType.len) {
      const data = readHistogramData(r.sub());
      metric = { ...base, type: 'histogram', temporality: data.temporality, points: data.points };
    } else if (field === 10 && wire === WireType.len) {
      const data = readExponentialHistogramData(r.sub());
      metric = { ...base, type: 'exponential_histogram', temporality: data.temporality, points: data.points };
    } else if (field === 11 && wire === WireType.len)
      metric = { ...base, type: 'summary', points: readSummaryData(r.sub()) };
    else r.skip(wire);
  }
  if (!metric) return { ...base, type: 'unsupported', kind: 'empty', pointCount: 0 };
  // Fields may arrive in any order: the name can follow the data.
  return { ...metric, name: base.name, description: base.description, unit: base.unit };
}
