// The one place scores are configured: the product plan's categories, the KPIs each is judged
// by (what to query, in which unit, which way is better), each KPI's two control points — the
// value that scores 90 (`good`, the plan's target) and the value that scores 50 (`poor`) — and
// the weights. A KPI whose metric the telemetry does not carry yet shows "no data".
import type { AttributeFilter, MetricKind, Stat } from 'collector/query';
import { API_TRAFFIC } from '../lib/api-traffic.ts';
import type { CategoryConfig, KpiQuery, ServiceRef, StatQuery } from './model.ts';

const HTTP = 'http.server.request.duration';
const DB = 'db.client.operation.duration';
const SECONDS_TO_MS = 1000;
const BYTES_TO_MB = 1e-6;
/** The synthetic page check (Chromium loading the target's pages) reports under this service. */
const PAGE_CHECK = 'page-check';

/** The API's own traffic: not the product's scrapes, probes and page check (see api-traffic.ts). */
const apiTraffic: AttributeFilter[] = [...API_TRAFFIC];
const signIn: AttributeFilter[] = [{ key: 'http.route', op: '=', value: '/api/auth/login' }];
const serverError: AttributeFilter[] = [{ key: 'http.response.status_code', op: '>=', value: 500 }];
/** Operations that ended without an error.type attribute. */
const succeeded: AttributeFilter[] = [{ key: 'error.type', op: '=', value: '' }];

function part(
  metric: string,
  kind: MetricKind,
  stat: Stat,
  extra: { service?: ServiceRef; where?: AttributeFilter[]; numerator?: AttributeFilter[] } = {},
): StatQuery {
  return { metric, kind, stat, service: extra.service ?? 'target', ...extra };
}
const single = (...args: Parameters<typeof part>): KpiQuery => ({ type: 'stat', ...part(...args) });

// Categories weigh the same: the plan names no priorities between them. Lower is better unless
// a KPI says otherwise (see curve.ts for how higher-is-better KPIs are scored).
// biome-ignore format: one KPI per block reads as a table
export const SCORE_CATEGORIES: readonly CategoryConfig[] = [
  {
    id: 'api',
    name: 'API',
    weight: 1,
    kpis: [
      { id: 'api.p95', name: 'p95 latency', query: single(HTTP, 'histogram', 'p95', { where: apiTraffic }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 200, poor: 500, weight: 3 },
      { id: 'api.errors', name: 'Error rate (5xx)',
        query: single(HTTP, 'histogram', 'ratio', { where: apiTraffic, numerator: serverError }),
        unit: 'ratio', direction: 'lower-is-better', good: 0.001, poor: 0.01, weight: 3 },
      // Capacity under load: in a window without a load test it reflects the traffic offered.
      { id: 'api.throughput', name: 'Peak throughput (10 s)',
        query: { type: 'peak-rate', metric: HTTP, service: 'target', where: apiTraffic, stepSeconds: 10 },
        unit: 'req/s', direction: 'higher-is-better', good: 1000, poor: 500, weight: 1 },
    ],
  },
  {
    id: 'database',
    name: 'Database',
    weight: 1,
    kpis: [
      { id: 'db.avg', name: 'Query time (avg)', query: single(DB, 'histogram', 'avg'),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 100, poor: 250, weight: 2 },
      { id: 'db.pool', name: 'Pool utilisation',
        query: {
          type: 'quotient',
          numerator: [part('db.client.connection.count', 'sum', 'avg', {
            where: [{ key: 'db.client.connection.state', op: '=', value: 'used' }] })],
          denominator: [part('db.client.connection.max', 'sum', 'max')],
        },
        unit: 'ratio', direction: 'lower-is-better', good: 0.6, poor: 0.85, weight: 1 },
      { id: 'db.success', name: 'Transaction success',
        query: single(DB, 'histogram', 'ratio', { numerator: succeeded }),
        unit: 'ratio', direction: 'higher-is-better', good: 0.999, poor: 0.99, weight: 2 },
    ],
  },
  {
    id: 'realtime',
    name: 'Real-time',
    weight: 1,
    kpis: [
      { id: 'realtime.latency', name: 'Message latency (p95)',
        query: single('realtime.message.latency', 'histogram', 'p95'),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 50, poor: 150, weight: 2 },
      { id: 'realtime.stability', name: 'Connection stability',
        query: single('realtime.connection.duration', 'histogram', 'ratio', { numerator: succeeded }),
        unit: 'ratio', direction: 'higher-is-better', good: 0.99, poor: 0.95, weight: 1 },
    ],
  },
  {
    id: 'auth',
    name: 'Authentication',
    weight: 1,
    kpis: [
      { id: 'auth.p95', name: 'Sign-in latency (p95)', query: single(HTTP, 'histogram', 'p95', { where: signIn }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 300, poor: 800, weight: 2 },
      { id: 'auth.errors', name: 'Sign-in errors (5xx)',
        query: single(HTTP, 'histogram', 'ratio', { where: signIn, numerator: serverError }),
        unit: 'ratio', direction: 'lower-is-better', good: 0.001, poor: 0.01, weight: 1 },
    ],
  },
  {
    id: 'storage',
    name: 'Storage',
    weight: 1,
    kpis: [
      { id: 'storage.cache-hit', name: 'Cache hit ratio',
        query: {
          type: 'quotient',
          numerator: [part('cache.hits', 'sum', 'sum')],
          denominator: [part('cache.hits', 'sum', 'sum'), part('cache.misses', 'sum', 'sum')],
        },
        unit: 'ratio', direction: 'higher-is-better', good: 0.8, poor: 0.5, weight: 2 },
      { id: 'storage.write-p95', name: 'Write latency (p95)',
        query: single(DB, 'histogram', 'p95', { where: [{ key: 'db.operation.name', op: '=', value: 'INSERT' }] }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 50, poor: 200, weight: 1 },
    ],
  },
  {
    id: 'frontend',
    name: 'Frontend',
    weight: 1,
    // Near Lighthouse's desktop control points (FCP 0.93/1.6 s, TTI 2.5/4.5 s, CLS 0.1/0.25).
    kpis: [
      { id: 'frontend.load', name: 'Page load', query: single('page.load.duration', 'gauge', 'avg', { service: PAGE_CHECK }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 2000, poor: 4000, weight: 2 },
      { id: 'frontend.fcp', name: 'First Contentful Paint', query: single('page.fcp', 'gauge', 'avg', { service: PAGE_CHECK }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 1000, poor: 1600, weight: 2 },
      { id: 'frontend.tti', name: 'Time to Interactive', query: single('page.tti', 'gauge', 'avg', { service: PAGE_CHECK }),
        scale: SECONDS_TO_MS, unit: 'ms', direction: 'lower-is-better', good: 3000, poor: 4500, weight: 1 },
      { id: 'frontend.cls', name: 'Cumulative Layout Shift', query: single('page.cls', 'gauge', 'avg', { service: PAGE_CHECK }),
        unit: 'unitless', direction: 'lower-is-better', good: 0.1, poor: 0.25, weight: 2 },
    ],
  },
  {
    id: 'network',
    name: 'Network',
    weight: 1,
    // As the load generator sees it (k6's OTLP metrics, already in ms).
    kpis: [
      { id: 'network.connect', name: 'TCP connect (p95)',
        query: single('http_req_connecting', 'histogram', 'p95', { service: 'k6' }),
        unit: 'ms', direction: 'lower-is-better', good: 10, poor: 50, weight: 1 },
      { id: 'network.blocked', name: 'Waiting for a connection (p95)',
        query: single('http_req_blocked', 'histogram', 'p95', { service: 'k6' }),
        unit: 'ms', direction: 'lower-is-better', good: 10, poor: 50, weight: 1 },
    ],
  },
  {
    id: 'memory',
    name: 'Memory',
    weight: 1,
    kpis: [
      { id: 'memory.rss', name: 'Process memory (peak)', query: single('process.memory.usage', 'gauge', 'max'),
        scale: BYTES_TO_MB, unit: 'MB', direction: 'lower-is-better', good: 200, poor: 400, weight: 2 },
      { id: 'memory.heap', name: 'JS heap used (peak)', query: single('v8js.memory.heap.used', 'gauge', 'max'),
        scale: BYTES_TO_MB, unit: 'MB', direction: 'lower-is-better', good: 150, poor: 300, weight: 1 },
    ],
  },
];
