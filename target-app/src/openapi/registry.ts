// The registry API routes describe themselves in: method, path, summary, and the zod schemas the
// handler validates its params, query and body with (the same objects, so the document cannot drift
// from the validation), plus response shapes.
import type { z } from 'zod';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ResponseDoc = {
  description: string;
  schema?: z.ZodType;
  /** A binary body (e.g. an image) in one of these media types, instead of JSON. */
  binary?: readonly string[];
  /** Response headers worth knowing (ETag, Cache-Control…): name → description. */
  headers?: Record<string, string>;
};

export type RouteDoc = {
  method: HttpMethod;
  /** The Fastify pattern, e.g. '/api/cars/:id'. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A raw binary request body (an upload) in one of these media types, instead of a JSON `body`. */
  rawBody?: { mediaTypes: readonly string[]; description: string };
  /**
   * 'required': a bearer access token; 'optional': used when sent (e.g. personal recommendations);
   * 'admin': the bearer ADMIN_TOKEN (the /admin routes).
   */
  auth?: 'required' | 'optional' | 'admin';
  responses: Record<number, ResponseDoc>;
};

export type RouteKey = `${HttpMethod} ${string}`;

export const routeKey = (method: string, path: string): RouteKey =>
  `${method.toUpperCase() as HttpMethod} ${path}`;

export type ApiDocs = {
  describe(...docs: RouteDoc[]): void;
  get(key: RouteKey): RouteDoc | undefined;
  all(): RouteDoc[];
};

export function createApiDocs(): ApiDocs {
  const docs = new Map<RouteKey, RouteDoc>();
  return {
    describe(...added) {
      for (const doc of added) {
        const key = routeKey(doc.method, doc.path);
        if (docs.has(key)) throw new Error(`route ${key} is described twice`);
        docs.set(key, doc);
      }
    },
    get: (key) => docs.get(key),
    all: () => [...docs.values()],
  };
}
