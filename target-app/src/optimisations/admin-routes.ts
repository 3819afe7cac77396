// GET/PUT/DELETE /admin/optimisations (token-protected by the admin scope's hook): read the switches,
// change some of them (optionally on top of a preset), or go back to the values at start. Each switch
// that moves is logged on a line of its own and recorded as an event on the request's span.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChaosController } from '../chaos.ts';
import { parseInput } from '../http/errors.ts';
import {
  BEFORE_PLAN,
  type OptimisationChangeEvent,
  type OptimisationSettings,
  type OptimisationsController,
  type OptimisationsState,
  optimisationChangeSchema,
} from './optimisations.ts';

export type OptimisationsResponse = OptimisationsState & {
  presets: { 'before-plan': OptimisationSettings };
  /** How the switches apply here and now: what overrides them, what cannot apply. */
  notes: string[];
};

export type OptimisationRouteDeps = {
  controller: OptimisationsController;
  chaos: ChaosController;
  /** Whether REDIS_URL is set (else redisL2 has no level to switch). */
  redisConfigured: boolean;
  /** Whether the pool can be replaced at run time (a `pg` pool, PostgreSQL or the embedded server). */
  poolResizable: boolean;
};

function notesOf(deps: OptimisationRouteDeps, settings: OptimisationSettings): string[] {
  const chaos = deps.chaos.current();
  const notes: string[] = [];
  notes.push(
    deps.poolResizable
      ? `poolSize applies at once: a new pool of ${settings.poolSize} connections takes new queries, the replaced one finishes its queries and closes`
      : 'poolSize applies only at the next start (this database connection cannot be resized)',
  );
  if (chaos.poolMax !== null) {
    notes.push(`chaos poolMax ${chaos.poolMax} is in force instead of poolSize until chaos is reset`);
  }
  if (!chaos.cacheEnabled) {
    notes.push('chaos cacheEnabled=false bypasses the response cache whatever responseCache says');
  }
  if (!deps.redisConfigured) notes.push('redisL2 has no effect: REDIS_URL is unset (L1 only)');
  if (!settings.responseCache) {
    notes.push('redisL2 and searchCountReuse act through the response cache, which is off');
  }
  notes.push('bcryptCost applies to new hashes; existing hashes keep verifying at their own cost');
  return notes;
}

function respond(deps: OptimisationRouteDeps, state: OptimisationsState): OptimisationsResponse {
  return { ...state, presets: { 'before-plan': { ...BEFORE_PLAN } }, notes: notesOf(deps, state.current) };
}

function record(request: FastifyRequest, changed: OptimisationChangeEvent[], how: string): void {
  for (const { name, from, to } of changed) {
    request.log.warn({ optimisation: name, from, to }, `optimisation ${name} ${how}: ${from} → ${to}`);
    request.otelSpan?.addEvent('optimisation.changed', {
      'optimisation.switch': name,
      'optimisation.from': String(from),
      'optimisation.to': String(to),
    });
  }
}

export function registerOptimisationRoutes(admin: FastifyInstance, deps: OptimisationRouteDeps): void {
  const { controller } = deps;

  admin.get(
    '/admin/optimisations',
    async (): Promise<OptimisationsResponse> => respond(deps, controller.state()),
  );

  admin.put('/admin/optimisations', async (request): Promise<OptimisationsResponse> => {
    const change = parseInput(optimisationChangeSchema, request.body, 'optimisation settings');
    const { state, changed } = controller.change(change);
    record(request, changed, 'changed');
    return respond(deps, state);
  });

  admin.delete('/admin/optimisations', async (request): Promise<OptimisationsResponse> => {
    const { state, changed } = controller.reset();
    record(request, changed, 'reset');
    return respond(deps, state);
  });
}
