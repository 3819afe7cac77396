// Applies the rate limits to the /api routes with @fastify/rate-limit: one counter per client (user id
// when signed in, else IP) and endpoint class, in Redis when it is configured (shared by instances),
// in-process otherwise or while Redis is down. IETF RateLimit-* headers; 429 with Retry-After.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { counterStore } from './counter-store.ts';
import type { EndpointClass, RateLimitController, RateLimitMetrics } from './limits.ts';

/** The class of a route pattern: auth, search (the car search), uploads, or every other API call. */
export function endpointClassOf(method: string, url: string | undefined): EndpointClass {
  if (url === undefined) return 'api';
  if (url.startsWith('/api/auth/')) return 'auth';
  if (url.startsWith('/api/uploads')) return 'uploads';
  if (method === 'GET' && url === '/api/cars') return 'search';
  return 'api';
}

function clientOf(request: FastifyRequest): string {
  const auth = request.auth;
  return auth?.state === 'signed-in' ? `user:${auth.session.user.id}` : `ip:${request.ip}`;
}

const classOfKey = (key: string) => key.slice(0, key.indexOf(':')) as EndpointClass;

export type RateLimitDeps = {
  controller: RateLimitController;
  metrics: RateLimitMetrics;
  redis?: Redis | undefined;
  keyPrefix: string;
};

/** Call inside the /api scope, after the auth hook and before the routes are added. */
export async function registerRateLimits(api: FastifyInstance, deps: RateLimitDeps): Promise<void> {
  const { controller } = deps;
  await api.register(rateLimit, {
    global: true,
    enableDraftSpec: true,
    store: counterStore({ redis: deps.redis, keyPrefix: `${deps.keyPrefix}rate-limit:` }),
    // A failing store lets the request through: the limiter protects the service, it must not break it.
    skipOnError: true,
    keyGenerator: (request) =>
      `${endpointClassOf(request.method, request.routeOptions.url)}:${clientOf(request)}`,
    allowList: (request) => !controller.current().enabled || controller.allowlist().has(request.ip),
    max: (_request, key) => controller.current().limits[classOfKey(key)].max,
    timeWindow: (_request, key) => controller.current().limits[classOfKey(key)].windowSeconds * 1000,
    onExceeded: (_request, key) => deps.metrics.rejected(classOfKey(key)),
    errorResponseBuilder: (request, context) => {
      const endpointClass = endpointClassOf(request.method, request.routeOptions.url);
      const limit = controller.current().limits[endpointClass];
      const error = new Error(
        `rate limit exceeded: ${limit.max} ${endpointClass} requests per ${limit.windowSeconds} s; retry in ${context.after}`,
      ) as Error & { statusCode: number };
      error.statusCode = context.statusCode;
      return error;
    },
  });
}
