// How many items (metric points, spans, log records) a decoded request holds per sending service
// (the resource's service.name, '' when it has none): who a refused request came from.
import type { ResourceLogs, ResourceMetrics, ResourceSpans } from './model.ts';

type Decoded = readonly ResourceMetrics[] | readonly ResourceSpans[] | readonly ResourceLogs[];

function itemsOf(resource: ResourceMetrics | ResourceSpans | ResourceLogs): number {
  if ('scopeMetrics' in resource)
    return resource.scopeMetrics.reduce(
      (n, s) =>
        n + s.metrics.reduce((m, x) => m + (x.type === 'unsupported' ? x.pointCount : x.points.length), 0),
      0,
    );
  if ('scopeSpans' in resource) return resource.scopeSpans.reduce((n, s) => n + s.spans.length, 0);
  return resource.scopeLogs.reduce((n, s) => n + s.logRecords.length, 0);
}

export function itemsByService(data: Decoded): Record<string, number> {
  const out: Record<string, number> = {};
  for (const resource of data) {
    const service = resource.resource.attributes['service.name'] ?? '';
    out[service] = (out[service] ?? 0) + itemsOf(resource);
  }
  return out;
}
