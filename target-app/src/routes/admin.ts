// Admin chaos controls behind a bearer token (off when the token is refused, see adminTokenRefusal).
// Every change is logged with the previous settings.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type ChaosController, type ChaosState, chaosConfigSchema } from '../chaos.ts';
import { type ErrorBody, InputError, parseInput } from '../http/errors.ts';

export type AdminRouteDeps = {
  adminToken: string;
  /** Set → the admin API is off: every /admin route answers 503 with this reason, whatever the token. */
  offBecause?: string | undefined;
  chaos: ChaosController;
  /** Route patterns chaos may target; a PUT naming any other route is rejected. */
  apiRoutes: () => readonly string[];
  /** Whether poolMax can apply (a `pg` pool, to PostgreSQL or the embedded server, can be resized). */
  poolResizable?: boolean;
};

// Hashing both sides first gives equal-length buffers, so the comparison time says nothing about
// the token's length or content.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function isAuthorized(header: string | undefined, adminToken: string): boolean {
  const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = match?.[1];
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(adminToken));
}

export function registerAdminRoutes(admin: FastifyInstance, deps: AdminRouteDeps): void {
  const expected = deps.adminToken;
  const off = deps.offBecause;
  // Added to the admin plugin, so it guards the rate-limit and price-changer routes registered beside these.
  admin.addHook('onRequest', async (request, reply) => {
    if (off !== undefined) {
      return reply.code(503).send({ error: `admin API off: ${off}` } satisfies ErrorBody);
    }
    if (isAuthorized(request.headers.authorization, expected)) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="target-app admin"')
      .send({
        error: 'missing or invalid admin token (Authorization: Bearer <ADMIN_TOKEN>)',
      } satisfies ErrorBody);
  });

  admin.get('/admin/chaos', async (): Promise<ChaosState> => deps.chaos.current());

  // The routes a chaos setting may be scoped to, so a UI can offer them instead of free text.
  admin.get(
    '/admin/chaos/routes',
    async (): Promise<{ routes: string[] }> => ({
      routes: [...deps.apiRoutes()].sort(),
    }),
  );

  admin.put('/admin/chaos', async (request): Promise<ChaosState> => {
    const config = parseInput(chaosConfigSchema, request.body, 'chaos config');
    const known = deps.apiRoutes();
    const unknown = config.routes.flatMap((route, index) =>
      known.includes(route) ? [] : [{ route, index }],
    );
    if (unknown.length > 0) {
      throw new InputError(
        'invalid chaos config',
        unknown.map(({ route, index }) => ({
          path: `routes.${index}`,
          message: `unknown route '${route}'; known: ${known.join(', ')}`,
        })),
      );
    }
    if (config.poolMax !== null && !deps.poolResizable) {
      throw new InputError('invalid chaos config', [
        { path: 'poolMax', message: 'this database connection cannot be resized' },
      ]);
    }
    const previous = deps.chaos.current();
    const next = deps.chaos.set(config);
    request.log.warn({ chaos: next, previous }, 'chaos config changed');
    return next;
  });

  admin.delete('/admin/chaos', async (request): Promise<ChaosState> => {
    const previous = deps.chaos.current();
    const next = deps.chaos.reset();
    request.log.warn({ chaos: next, previous }, 'chaos config reset');
    return next;
  });
}
