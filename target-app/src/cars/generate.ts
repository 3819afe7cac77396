// Deterministic car listings: one seeded PRNG stream, so the same (count, seed) gives the same cars
// whether they are taken all at once or in batches.
import {
  type BodyType,
  CITIES,
  COLOURS,
  type Colour,
  type Fuel,
  MAKES,
  type MakeSpec,
  MIN_YEAR,
  type ModelSpec,
  REFERENCE_YEAR,
  type Transmission,
} from './catalog.ts';
import { FEATURES, type Feature } from './features.ts';

export type Car = {
  id: number;
  make: string;
  model: string;
  year: number;
  /** Asking price in whole EUR. */
  price: number;
  mileageKm: number;
  bodyType: BodyType;
  fuel: Fuel;
  transmission: Transmission;
  colour: Colour;
  city: string;
  dealerId: number;
  /** Equipment, in FEATURES order. */
  features: Feature[];
  /** How many users saved the listing: the popularity signal for recommendations. */
  favouriteCount: number;
};

/** Dealers per city; dealer ids are unique across cities. */
const DEALERS_PER_CITY = 80;

/** Plug-in hybrids and EVs were not sold in volume before this year. */
const ELECTRIFIED_SINCE = 2012;

/** mulberry32: tiny, fast, good enough statistically for test data, and identical on every platform. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const totalMakeWeight = MAKES.reduce((sum, make) => sum + make.weight, 0);

function pickMake(random: () => number): MakeSpec {
  let remaining = random() * totalMakeWeight;
  for (const make of MAKES) {
    remaining -= make.weight;
    if (remaining < 0) return make;
  }
  return MAKES[MAKES.length - 1]!;
}

function pickFuel(random: () => number, model: ModelSpec, year: number): Fuel {
  const available = model.fuels.filter(
    (fuel) => year >= ELECTRIFIED_SINCE || (fuel !== 'electric' && fuel !== 'plugin_hybrid'),
  );
  return pick(random, available.length > 0 ? available : model.fuels);
}

function generateCar(random: () => number, seed: number, id: number): Car {
  const make = pickMake(random);
  const model = pick(random, make.models);
  const year = intBetween(random, Math.max(MIN_YEAR, model.since ?? MIN_YEAR), REFERENCE_YEAR);
  const age = REFERENCE_YEAR - year;
  const fuel = pickFuel(random, model, year);
  const transmission: Transmission =
    fuel === 'electric' || model.basePrice >= 50_000 || random() < 0.45 ? 'automatic' : 'manual';
  const mileageKm = age * intBetween(random, 6_000, 24_000) + intBetween(random, 0, 12_000);
  // Depreciation by age and mileage, with ±10 % dealer noise; rounded to 10 EUR like real listings.
  const value =
    model.basePrice * 0.86 ** age * Math.max(0.5, 1 - mileageKm / 600_000) * (0.9 + random() * 0.2);
  const price = Math.max(500, Math.round(value / 10) * 10);
  const colour = pick(random, COLOURS);
  const cityIndex = Math.floor(random() * CITIES.length);
  // Fields added after the first release draw from a per-car stream, so the fields above keep
  // their values for a given seed.
  const extra = createRandom((Math.imul(seed, 0x9e3779b1) ^ id) >>> 0);
  const richness = 0.6 + Math.min(1, model.basePrice / 60_000) * 0.6 + (year - MIN_YEAR) / 40;
  const features = FEATURES.filter((f) => extra() < Math.min(0.97, f.share * richness)).map((f) => f.name);
  const favouriteCount = Math.floor(extra() ** 4 * 400 * (0.5 + (year - MIN_YEAR) / 20));
  return {
    id,
    make: make.name,
    model: model.name,
    year,
    price,
    mileageKm,
    bodyType: model.bodyType,
    fuel,
    transmission,
    colour,
    city: CITIES[cityIndex]!,
    dealerId: cityIndex * DEALERS_PER_CITY + 1 + Math.floor(extra() * DEALERS_PER_CITY),
    features,
    favouriteCount,
  };
}

/** Cars with ids 1..count in batches of at most batchSize; memory stays flat for a million cars. */
export function* generateCarBatches(count: number, seed: number, batchSize = 5_000): Generator<Car[]> {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
  const random = createRandom(seed);
  for (let start = 1; start <= count; start += batchSize) {
    const end = Math.min(count, start + batchSize - 1);
    const batch: Car[] = [];
    for (let id = start; id <= end; id++) batch.push(generateCar(random, seed, id));
    yield batch;
  }
}

export function generateCars(count: number, seed: number): Car[] {
  return [...generateCarBatches(count, seed)].flat();
}
