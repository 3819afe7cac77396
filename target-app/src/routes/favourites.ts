// The favourites API (signed-in users only): add, remove, list.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSession } from '../auth/request-auth.ts';
import type { Favourites } from '../favourites/favourites.ts';
import { type ErrorBody, parseInput } from '../http/errors.ts';
import { carIdParamsSchema, wholeNumber } from './car-queries.ts';

export const addBodySchema = z.strictObject({
  carId: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be a positive car id')
    .max(2_147_483_647, 'is out of range'),
});
export const removeParamsSchema = z.strictObject({ carId: carIdParamsSchema.shape.id });
export const listQuerySchema = z.strictObject({ limit: wholeNumber(1, 100).default(50) });

export function registerFavouriteRoutes(api: FastifyInstance, favourites: Favourites): void {
  api.post('/api/favourites', async (request, reply) => {
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    const { carId } = parseInput(addBodySchema, request.body, 'favourite');
    const result = await favourites.add(caller.session.user.id, carId, request.otelContext);
    if (result.state === 'no-such-car') {
      return reply.code(404).send({ error: `car ${carId} not found` } satisfies ErrorBody);
    }
    return reply
      .code(result.state === 'added' ? 201 : 200)
      .send({ carId, favourite: true, favouriteCount: result.favouriteCount });
  });

  api.delete('/api/favourites/:carId', async (request, reply) => {
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    const { carId } = parseInput(removeParamsSchema, request.params, 'car id');
    const result = await favourites.remove(caller.session.user.id, carId, request.otelContext);
    if (!result.removed) {
      return reply.code(404).send({ error: `car ${carId} is not among your favourites` } satisfies ErrorBody);
    }
    return reply.code(200).send({ carId, favourite: false, favouriteCount: result.favouriteCount });
  });

  api.get('/api/favourites', async (request, reply) => {
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    const { limit } = parseInput(listQuerySchema, request.query, 'query');
    return favourites.list(caller.session.user.id, limit, request.otelContext);
  });
}
