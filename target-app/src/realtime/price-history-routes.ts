// GET /api/cars/:id/prices: the car's recent price changes, newest first (written by the price changer).
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../db/database.ts';
import { parseInput } from '../http/errors.ts';
import { carIdParamsSchema, limitQuerySchema } from '../routes/car-queries.ts';
import type { DbInstrumentation } from '../telemetry/db-client.ts';
import { SELECT_PRICE_HISTORY } from './price-store.ts';

export type PriceHistoryEntry = { price: number; previousPrice: number; changedAt: string };
export type PriceHistoryResponse = { carId: number; items: PriceHistoryEntry[] };

export function registerPriceHistoryRoutes(
  api: FastifyInstance,
  db: Queryable,
  instrumentation: DbInstrumentation,
): void {
  api.get('/api/cars/:id/prices', async (request): Promise<PriceHistoryResponse> => {
    const { id } = parseInput(carIdParamsSchema, request.params, 'car id');
    const { limit } = parseInput(limitQuerySchema, request.query, 'query');
    const rows = await instrumentation.run(
      { operation: 'SELECT', collection: 'price_history', text: SELECT_PRICE_HISTORY },
      request.otelContext,
      async () =>
        (
          await db.query<{ price: number; previousPrice: number; changedAt: Date }>(SELECT_PRICE_HISTORY, [
            id,
            limit,
          ])
        ).rows,
    );
    return {
      carId: id,
      items: rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt).toISOString() })),
    };
  });
}
