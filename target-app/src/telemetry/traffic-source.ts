// Which requests are the API's traffic. The product's own requests — Prometheus scrapes, health and
// readiness probes, admin controls, and whatever its synthetic senders mark with `x-synthetic`
// (the dashboard's page check, the collector's scraper) — are `internal`, so scores and default
// rules can leave them out; everything else, k6 load tests included, is `api`.
import type { IncomingHttpHeaders } from 'node:http';

/** Attribute on http.server.request.duration and on server spans (prom-client: `traffic_source`). */
export const ATTR_TRAFFIC_SOURCE = 'traffic.source';
/** Span attribute: the sender named in the `x-synthetic` header. */
export const ATTR_TRAFFIC_SENDER = 'traffic.sender';
/** Set by the product's own senders on every request they make: `x-synthetic: <sender>`. */
export const SYNTHETIC_HEADER = 'x-synthetic';

export type TrafficSource = 'api' | 'internal';

/** Endpoints that serve operators and the control plane, never the API's users. */
const OPERATIONAL_ROUTES = new Set(['/health', '/ready', '/metrics']);
const ADMIN_ROUTE = /^\/admin(\/|$)/;
/** Sender names are kept on spans only; anything unusual is reduced to this shape. */
const SENDER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The sender a synthetic request names, or undefined for a request without the header. */
export function syntheticSenderOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[SYNTHETIC_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return SENDER.test(trimmed) ? trimmed : 'other';
}

/** `route` is Fastify's matched route pattern (undefined when no route matched). */
export function trafficSourceOf(route: string | undefined, headers: IncomingHttpHeaders): TrafficSource {
  if (headers[SYNTHETIC_HEADER] !== undefined) return 'internal';
  if (route !== undefined && (OPERATIONAL_ROUTES.has(route) || ADMIN_ROUTE.test(route))) return 'internal';
  return 'api';
}
