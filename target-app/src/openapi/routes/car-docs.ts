// OpenAPI descriptions of the car catalogue routes (routes/cars.ts, realtime/price-history-routes.ts),
// with the very schemas those handlers validate with.
import { z } from 'zod';
import {
  carIdParamsSchema,
  carSearchQuerySchema,
  limitQuerySchema,
  recommendationsQuerySchema,
} from '../../routes/car-queries.ts';
import type { RouteDoc } from '../registry.ts';
import {
  carSchema,
  carSearchResponseSchema,
  priceHistorySchema,
  recommendationsSchema,
  scoredCarSchema,
} from './response-schemas.ts';

const notFound = { description: 'No car with this id.' };

export const CAR_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'GET',
    path: '/api/cars',
    tag: 'cars',
    summary:
      'Search cars: filters, free text (q, typo-tolerant), facet counts, sort, offset or cursor pages.',
    query: carSearchQuerySchema,
    responses: { 200: { description: 'One page of matching cars.', schema: carSearchResponseSchema } },
  },
  {
    method: 'GET',
    path: '/api/cars/:id',
    tag: 'cars',
    summary: 'One car.',
    params: carIdParamsSchema,
    responses: { 200: { description: 'The car.', schema: carSchema }, 404: notFound },
  },
  {
    method: 'GET',
    path: '/api/cars/:id/similar',
    tag: 'cars',
    summary: 'Cars like this one (features, body type, price band).',
    params: carIdParamsSchema,
    query: limitQuerySchema,
    responses: {
      200: {
        description: 'Similar cars, best first.',
        schema: z.object({ items: z.array(scoredCarSchema) }),
      },
      404: notFound,
    },
  },
  {
    method: 'GET',
    path: '/api/cars/:id/prices',
    tag: 'cars',
    summary: "The car's recent price changes, newest first (live updates: WebSocket /ws/prices).",
    params: carIdParamsSchema,
    query: limitQuerySchema,
    responses: { 200: { description: 'Price history.', schema: priceHistorySchema } },
  },
  {
    method: 'GET',
    path: '/api/recommendations',
    tag: 'cars',
    summary: "Recommendations from the given cars and, when signed in, the user's favourites.",
    query: recommendationsQuerySchema,
    auth: 'optional',
    responses: { 200: { description: 'Recommended cars, best first.', schema: recommendationsSchema } },
  },
  {
    method: 'GET',
    path: '/api/makes',
    tag: 'cars',
    summary: 'Every make in the catalogue.',
    responses: { 200: { description: 'Makes.', schema: z.object({ makes: z.array(z.string()) }) } },
  },
];
