// GET /openapi.json: the OpenAPI 3.1 document of every /api route registered on this app, and of the
// /admin routes that are described (the optimisation switches), built once (after start-up, when the
// route table is final) from the route docs in the registry.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument, type RegisteredRoute } from './document.ts';
import { type ApiDocs, HTTP_METHODS, type HttpMethod, routeKey } from './registry.ts';

export const OPENAPI_PATH = '/openapi.json';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Call on the root instance before the /api routes are registered: it listens for them. */
export function registerOpenApi(app: FastifyInstance, docs: ApiDocs): void {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const isApi = /^\/api(\/|$)/.test(route.url);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!isApi && docs.get(routeKey(method, route.url)) === undefined) continue;
      // HEAD routes are Fastify's automatic twins of GET routes.
      if (HTTP_METHODS.includes(method as HttpMethod)) {
        routes.push({ method: method as HttpMethod, path: route.url });
      }
    }
  });
  let document: string | undefined;
  app.get(OPENAPI_PATH, async (_request, reply) => {
    document ??= JSON.stringify(
      buildOpenApiDocument(routes, docs, {
        title: 'Car suggester API',
        version,
        description:
          'The car-suggester API under test: search, details, recommendations, accounts, favourites. Live ' +
          'prices: WebSocket /ws/prices (send {"type":"watch","carIds":[…]}).',
      }),
    );
    return reply.type('application/json').send(document);
  });
}
