// GET /openapi.json: a structurally valid OpenAPI 3.1 document that covers every /api route the app
// registered (the route list comes from the app itself, through the chaos API's known-routes
// message), with parameters generated from the zod schemas the handlers validate with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_TYPES } from '../../src/cars/catalog.ts';
import { createAppApiDocs } from '../../src/openapi/api-docs.ts';
import { openApiPath } from '../../src/openapi/document.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { openApiProblems } from './openapi-structure.ts';

type Operation = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  security?: unknown[];
  'x-undocumented'?: boolean;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

let t: TestApp;
let doc: Document;

beforeAll(async () => {
  t = await startTestApp();
  const response = await fetch(`${t.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await response.json()) as Document;
});

afterAll(async () => {
  await t?.close();
});

/** Every /api route pattern the app registered, as the chaos API lists them when refusing a route. */
async function registeredApiRoutes(): Promise<string[]> {
  const refused = await t.chaos('PUT', { routes: ['/api/no-such-route'] });
  const message = refused.body.issues?.[0]?.message ?? '';
  return (/known: (.*)$/.exec(message)?.[1] ?? '').split(', ').filter(Boolean);
}

describe('OpenAPI document', () => {
  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('describes every registered /api route, and only those', async () => {
    const routes = await registeredApiRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/api/cars', '/api/cars/:id', '/api/makes']));
    for (const route of routes) expect(Object.keys(doc.paths), route).toContain(openApiPath(route));
    const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op['x-undocumented'])
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undocumented).toEqual([]);
    // A description for a route that no longer exists would be silently dropped: catch it here.
    for (const described of createAppApiDocs().all()) {
      expect(
        doc.paths[openApiPath(described.path)]?.[described.method.toLowerCase()],
        described.path,
      ).toBeDefined();
    }
  });

  it('derives parameters and bodies from the zod schemas the routes validate with', async () => {
    const search = doc.paths['/api/cars']?.get;
    const bodyType = search?.parameters.find((p) => p.name === 'bodyType');
    expect(bodyType).toMatchObject({ in: 'query', required: false, schema: { enum: [...BODY_TYPES] } });
    expect(search?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'minPrice', 'cursor']),
    );
    // What the document says is what the route enforces.
    for (const value of (bodyType?.schema.enum ?? []) as string[]) {
      expect((await t.get(`/api/cars?bodyType=${value}&pageSize=1`)).status).toBe(200);
    }
    expect((await t.get('/api/cars?bodyType=spaceship')).status).toBe(400);
    expect(doc.paths['/api/cars/{id}']?.get?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9]\\d*$' } },
    ]);
    // The account routes are always registered (the app's database holds the accounts).
    const login = doc.paths['/api/auth/login']?.post;
    expect(login?.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
    });
    expect(doc.paths['/api/favourites']?.get?.security).toEqual([{ bearer: [] }]);
  });

  it('describes the avatar upload as a raw image body and the download as binary', () => {
    const upload = doc.paths['/api/uploads/avatar']?.put;
    expect(Object.keys(upload?.requestBody?.content ?? {})).toEqual([
      'image/jpeg',
      'image/png',
      'image/webp',
      'application/octet-stream',
    ]);
    expect(upload?.security).toEqual([{ bearer: [] }]);
    const download = doc.paths['/api/users/{userId}/avatar']?.get as unknown as {
      responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
    };
    expect(Object.keys(download.responses['200']?.content ?? {})).toEqual([
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(Object.keys(download.responses['200']?.headers ?? {})).toContain('ETag');
  });
});
