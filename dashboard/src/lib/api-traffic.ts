// What counts as the target API's traffic in every API figure (scores, Overview, service page):
// not the product's own requests, which the target marks `traffic.source = internal` (scrapes,
// health and readiness probes, admin controls, the page check's browser), and not /health from
// a target that predates the mark. Load tests are API traffic: that is what they measure.
import type { AttributeFilter } from 'collector/query';

export const TRAFFIC_SOURCE_ATTRIBUTE = 'traffic.source';
export const INTERNAL_TRAFFIC = 'internal';

/** For the shared query builder (`where`). */
export const API_TRAFFIC: readonly AttributeFilter[] = [
  { key: TRAFFIC_SOURCE_ATTRIBUTE, op: '!=', value: INTERNAL_TRAFFIC },
  { key: 'http.route', op: '!=', value: '/health' },
];

/** The same condition as SQL over an attribute map column (`Attributes`, `SpanAttributes`). */
export function apiTrafficSql(column: 'Attributes' | 'SpanAttributes'): string {
  return `${column}['${TRAFFIC_SOURCE_ATTRIBUTE}'] != '${INTERNAL_TRAFFIC}' AND ${column}['http.route'] != '/health'`;
}
