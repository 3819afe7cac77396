// The public car API: search with filters and pages, details by id, and the list of makes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BODY_TYPES, FUELS } from '../cars/catalog.ts';
import type { Car } from '../cars/generate.ts';
import type { CarStore } from '../db/car-store.ts';
import { type ErrorBody, parseInput } from '../http/errors.ts';

export const MAX_PAGE_SIZE = 100;

function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const price = wholeNumber(0, 100_000_000);
const year = wholeNumber(1900, 2100);

export const carSearchQuerySchema = z
  .strictObject({
    make: z.string().trim().min(1, 'must not be empty').max(50).optional(),
    bodyType: z.enum(BODY_TYPES).optional(),
    fuel: z.enum(FUELS).optional(),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    minYear: year.optional(),
    maxYear: year.optional(),
    page: wholeNumber(1, 100_000).default(1),
    pageSize: wholeNumber(1, MAX_PAGE_SIZE).default(20),
  })
  .check((ctx) => {
    const q = ctx.value;
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
      ctx.issues.push({
        code: 'custom',
        input: q.maxPrice,
        path: ['maxPrice'],
        message: 'must be ≥ minPrice',
      });
    }
    if (q.minYear !== undefined && q.maxYear !== undefined && q.minYear > q.maxYear) {
      ctx.issues.push({ code: 'custom', input: q.maxYear, path: ['maxYear'], message: 'must be ≥ minYear' });
    }
  });

const carIdParamsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number')
    .transform(Number)
    .pipe(z.number().max(2_147_483_647, 'is out of range')),
});

export type CarSearchResponse = { items: Car[]; total: number; page: number; pageSize: number };

export function registerCarRoutes(api: FastifyInstance, store: CarStore): void {
  api.get('/api/cars', async (request): Promise<CarSearchResponse> => {
    const search = parseInput(carSearchQuerySchema, request.query, 'query');
    const { items, total } = await store.searchCars(search, request.otelContext);
    return { items, total, page: search.page, pageSize: search.pageSize };
  });

  api.get('/api/cars/:id', async (request, reply) => {
    const { id } = parseInput(carIdParamsSchema, request.params, 'car id');
    const car = await store.getCar(id, request.otelContext);
    if (car === undefined) return reply.code(404).send({ error: `car ${id} not found` } satisfies ErrorBody);
    return car;
  });

  api.get('/api/makes', async () => ({ makes: store.listMakes() }));
}
