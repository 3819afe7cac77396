// Similar cars for a car, and recommendations for a user's cars (favourites or recently viewed):
// build a profile (segments, shared features, fuels, price), read popular candidates per segment
// through the (body_type, price_band, favourite_count) index, and rank them by content score.
import type { Context } from '@opentelemetry/api';
import { PRICE_BANDS } from '../cars/features.ts';
import type { Car } from '../cars/generate.ts';
import type { DbInstrumentation } from '../telemetry/db-client.ts';
import { SELECT_CAR_BY_ID, type SqlQuery } from './car-sql.ts';
import type { Database } from './database.ts';
import {
  type Profile,
  popularCarsQuery,
  profileRecommendationsQuery,
  SELECT_CARS_BY_IDS,
  similarCarsQuery,
} from './recommend-sql.ts';

export type ScoredCar = Car & { score: number };
export type Recommendations = {
  /** 'profile' when built from the given cars; 'popular' for a user with no (known) cars. */
  basis: 'profile' | 'popular';
  items: ScoredCar[];
};

type SeedCar = {
  id: number;
  bodyType: string;
  priceBand: number;
  price: number;
  fuel: string;
  features: string[];
};

const MAX_SEGMENTS = 6;

function runner(db: Database, instrumentation: DbInstrumentation, parent: Context | undefined) {
  return async <T>(query: SqlQuery) =>
    instrumentation.run(
      { operation: 'SELECT', collection: 'cars', text: query.text },
      parent,
      async () => (await db.query<T>(query.text, query.values)).rows,
    );
}

export async function similarCars(
  db: Database,
  instrumentation: DbInstrumentation,
  id: number,
  limit: number,
  parent: Context | undefined,
): Promise<ScoredCar[] | undefined> {
  const run = runner(db, instrumentation, parent);
  const car = (await run<Car>({ text: SELECT_CAR_BY_ID, values: [id] }))[0];
  if (car === undefined) return undefined;
  return run<ScoredCar>(similarCarsQuery(car, limit));
}

export function buildProfile(seeds: readonly SeedCar[]): Profile {
  const segments: Profile['segments'] = [];
  const seen = new Set<string>();
  const addSegment = (bodyType: string, band: number) => {
    const key = `${bodyType}/${band}`;
    if (band < 0 || band >= PRICE_BANDS.length || seen.has(key) || segments.length >= MAX_SEGMENTS) return;
    seen.add(key);
    segments.push({ bodyType, band });
  };
  for (const seed of seeds) addSegment(seed.bodyType, seed.priceBand);
  // Widen a narrow profile to the neighbouring price bands of the same body types.
  for (const seed of seeds) {
    addSegment(seed.bodyType, seed.priceBand - 1);
    addSegment(seed.bodyType, seed.priceBand + 1);
  }
  const featureCounts = new Map<string, number>();
  for (const seed of seeds)
    for (const f of seed.features) featureCounts.set(f, (featureCounts.get(f) ?? 0) + 1);
  const features = [...featureCounts.entries()]
    .filter(([, count]) => count * 2 >= seeds.length)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([f]) => f);
  const prices = seeds.map((s) => s.price).sort((a, b) => a - b);
  return {
    segments,
    features,
    fuels: [...new Set(seeds.map((s) => s.fuel))],
    medianPrice: prices[Math.floor(prices.length / 2)] ?? 0,
    exclude: seeds.map((s) => s.id),
  };
}

export async function recommendCars(
  db: Database,
  instrumentation: DbInstrumentation,
  carIds: readonly number[],
  limit: number,
  parent: Context | undefined,
): Promise<Recommendations> {
  const run = runner(db, instrumentation, parent);
  const seeds =
    carIds.length === 0 ? [] : await run<SeedCar>({ text: SELECT_CARS_BY_IDS, values: [[...carIds]] });
  if (seeds.length === 0) return { basis: 'popular', items: await run<ScoredCar>(popularCarsQuery(limit)) };
  return {
    basis: 'profile',
    items: await run<ScoredCar>(profileRecommendationsQuery(buildProfile(seeds), limit)),
  };
}
