// HTTP server telemetry from Fastify hooks (no monkey-patching): one SERVER span per request that
// continues the caller's W3C trace, and the stable-convention request-duration histogram in both
// OpenTelemetry (exported over OTLP) and prom-client (scraped at /metrics), each request marked
// with its traffic source (the API's, or the product's own: see traffic-source.ts).
import {
  type Context,
  defaultTextMapGetter,
  type Meter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HTTP_DURATION_BUCKETS, type PromMetrics } from '../metrics.ts';
import {
  ATTR_TRAFFIC_SENDER,
  ATTR_TRAFFIC_SOURCE,
  syntheticSenderOf,
  trafficSourceOf,
} from './traffic-source.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Context holding this request's server span: the parent for spans made while handling it. */
    otelContext: Context | undefined;
    otelSpan: Span | undefined;
  }
}

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);
const propagator = new W3CTraceContextPropagator();

export type HttpServerTelemetryDeps = { tracer: Tracer; meter: Meter; prom: PromMetrics };

/** Must be called on the root instance before routes are registered, so the hooks see every route. */
export function registerHttpServerTelemetry(app: FastifyInstance, deps: HttpServerTelemetryDeps): void {
  const { tracer, prom } = deps;
  const duration = deps.meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
  });

  app.decorateRequest('otelContext', undefined);
  app.decorateRequest('otelSpan', undefined);

  app.addHook('onRequest', (request, _reply, done) => {
    const method = KNOWN_METHODS.has(request.method) ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
    const route = request.routeOptions.url;
    const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
    const sender = syntheticSenderOf(request.headers);
    const span = tracer.startSpan(
      route === undefined ? method : `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_URL_SCHEME]: request.protocol,
          [ATTR_URL_PATH]: request.url.split('?')[0],
          [ATTR_CLIENT_ADDRESS]: request.ip,
          [ATTR_NETWORK_PROTOCOL_VERSION]: request.raw.httpVersion,
          [ATTR_TRAFFIC_SOURCE]: trafficSourceOf(route, request.headers),
          ...(sender === undefined ? {} : { [ATTR_TRAFFIC_SENDER]: sender }),
          ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
          ...(request.headers['user-agent'] === undefined
            ? {}
            : { [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'] }),
        },
      },
      parent,
    );
    request.otelSpan = span;
    request.otelContext = trace.setSpan(parent, span);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const method = KNOWN_METHODS.has(request.method) ? request.method : HTTP_REQUEST_METHOD_VALUE_OTHER;
    const route = request.routeOptions.url;
    const seconds = reply.elapsedTime / 1000;
    const source = trafficSourceOf(route, request.headers);
    duration.record(seconds, {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_SCHEME]: request.protocol,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
      [ATTR_TRAFFIC_SOURCE]: source,
      ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
    });
    prom.httpDuration.observe(
      { method, route: route ?? '', status_code: String(status), traffic_source: source },
      seconds,
    );

    const span = request.otelSpan;
    if (span !== undefined) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      request.otelSpan = undefined;
    }
    done();
  });

  // The client went away before a response: close the span so it is not lost, marked as such.
  app.addHook('onRequestAbort', (request, done) => {
    const span = request.otelSpan;
    if (span !== undefined) {
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
      span.end();
      request.otelSpan = undefined;
    }
    done();
  });
}

/** Attaches an unexpected handler error to the request's span (the status is set from the 5xx). */
export function recordRequestError(request: FastifyRequest, error: Error): void {
  request.otelSpan?.recordException(error);
}
