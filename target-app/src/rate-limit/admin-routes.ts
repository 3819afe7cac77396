// Admin API for the rate limits (token-protected by the admin scope's hook): read, replace, reset.
// Every change is logged with the previous settings.
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../http/errors.ts';
import { type RateLimitController, type RateLimitState, rateLimitSettingsSchema } from './limits.ts';

export function registerRateLimitAdminRoutes(admin: FastifyInstance, controller: RateLimitController): void {
  const schema = rateLimitSettingsSchema(controller.defaults);

  admin.get('/admin/rate-limits', async (): Promise<RateLimitState> => controller.current());

  admin.put('/admin/rate-limits', async (request): Promise<RateLimitState> => {
    const settings = parseInput(schema, request.body, 'rate-limit settings');
    const previous = controller.current();
    const next = controller.set(settings);
    request.log.warn({ rateLimits: next, previous }, 'rate limits changed');
    return next;
  });

  admin.delete('/admin/rate-limits', async (request): Promise<RateLimitState> => {
    const previous = controller.current();
    const next = controller.reset();
    request.log.warn({ rateLimits: next, previous }, 'rate limits reset');
    return next;
  });
}
