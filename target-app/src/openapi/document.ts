// Builds the OpenAPI 3.1 document from the registered routes and their docs. zod 4's toJSONSchema
// (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses) turns the input side of each schema into
// parameter and body schemas. A registered /api route without a doc still appears, marked
// `x-undocumented`, so the document never hides an endpoint (a test keeps that list empty).
import { z } from 'zod';
import type { ApiDocs, HttpMethod, RouteDoc, RouteKey } from './registry.ts';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export type RegisteredRoute = { method: HttpMethod; path: string };

const errorSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** '/api/cars/:id' → '/api/cars/{id}'. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Operation[] {
  if (schema === undefined) return [];
  const json = toJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

function operationId(doc: Pick<RouteDoc, 'method' | 'path'>): string {
  const words = doc.path
    .replace(/^\/api\//, '')
    .split(/[/_-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by ${part.slice(1)}` : part))
    .join(' ')
    .split(' ');
  return [doc.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

/** Raw bytes in OpenAPI 3.1: a string schema naming its media type (no JSON inside). */
function binaryContent(mediaTypes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    mediaTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
  );
}

function headerObjects(headers: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
  );
}

function operation(doc: RouteDoc): Operation {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers === undefined ? {} : { headers: headerObjects(response.headers) }),
      ...(response.schema === undefined
        ? {}
        : { content: { 'application/json': { schema: toJsonSchema(response.schema) } } }),
      ...(response.binary === undefined ? {} : { content: binaryContent(response.binary) }),
    };
  }
  const validated =
    doc.params !== undefined ||
    doc.query !== undefined ||
    doc.body !== undefined ||
    doc.rawBody !== undefined;
  if (validated && responses['400'] === undefined) {
    responses['400'] = { $ref: '#/components/responses/BadRequest' };
  }
  if (doc.auth !== undefined && responses['401'] === undefined) {
    responses['401'] = {
      $ref: `#/components/responses/${doc.auth === 'admin' ? 'AdminUnauthorized' : 'Unauthorized'}`,
    };
  }
  return {
    operationId: operationId(doc),
    summary: doc.summary,
    tags: [doc.tag],
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
    ...(doc.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toJsonSchema(doc.body) } },
          },
        }),
    ...(doc.rawBody === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            description: doc.rawBody.description,
            content: binaryContent(doc.rawBody.mediaTypes),
          },
        }),
    ...(doc.auth === 'required' ? { security: [{ bearer: [] }] } : {}),
    ...(doc.auth === 'optional' ? { security: [{ bearer: [] }, {}] } : {}),
    ...(doc.auth === 'admin' ? { security: [{ adminToken: [] }] } : {}),
    responses,
  };
}

function undocumented(route: RegisteredRoute): Operation {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  return {
    operationId: operationId(route),
    summary: `${route.method} ${route.path}`,
    'x-undocumented': true,
    parameters: names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    responses: { default: { description: 'Not described yet.' } },
  };
}

export type DocumentInfo = { title: string; version: string; description: string };

export function buildOpenApiDocument(
  routes: readonly RegisteredRoute[],
  docs: ApiDocs,
  info: DocumentInfo,
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    const doc = docs.get(`${route.method} ${route.path}` as RouteKey);
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = doc === undefined ? undocumented(route) : operation(doc);
  }
  return {
    openapi: '3.1.1',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: [...new Set(docs.all().map((d) => d.tag))].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorSchema) },
      responses: {
        BadRequest: {
          description: 'Invalid input: `issues` names each field and the reason.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        Unauthorized: {
          description: 'Missing, expired or invalid access token.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        AdminUnauthorized: {
          description: 'Missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>).',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The target's ADMIN_TOKEN (its /admin routes answer 503 while it is refused).",
        },
      },
    },
  };
}
