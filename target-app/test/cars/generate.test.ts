import { describe, expect, it } from 'vitest';
import {
  BODY_TYPES,
  CITIES,
  COLOURS,
  FUELS,
  MAKES,
  MIN_YEAR,
  REFERENCE_YEAR,
  TRANSMISSIONS,
} from '../../src/cars/catalog.ts';
import { FEATURE_NAMES } from '../../src/cars/features.ts';
import { type Car, generateCarBatches, generateCars } from '../../src/cars/generate.ts';

describe('generateCars', () => {
  it('gives the same cars for the same seed, and different cars for another seed', () => {
    const a = generateCars(2_000, 42);
    const b = generateCars(2_000, 42);
    const c = generateCars(2_000, 43);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('does not depend on batch size (one stream, sliced)', () => {
    const whole = generateCars(1_234, 7);
    const batched = [...generateCarBatches(1_234, 7, 100)];
    expect(batched.map((batch) => batch.length)).toEqual([...Array(12).fill(100), 34]);
    expect(batched.flat()).toEqual(whole);
  });

  it('a longer run starts with the shorter one (count only truncates)', () => {
    expect(generateCars(5_000, 42).slice(0, 500)).toEqual(generateCars(500, 42));
  });

  it('numbers ids 1..count', () => {
    const cars = generateCars(300, 1);
    expect(cars.map((car) => car.id)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(generateCars(0, 1)).toEqual([]);
  });

  it('keeps every field within its domain', () => {
    const models = new Map(MAKES.map((make) => [make.name, new Map(make.models.map((m) => [m.name, m]))]));
    const violations: string[] = [];
    const check = (ok: boolean, what: string, car: Car) => {
      if (!ok) violations.push(`${what}: ${JSON.stringify(car)}`);
    };
    for (const car of generateCars(20_000, 42)) {
      const model = models.get(car.make)?.get(car.model);
      if (model === undefined) {
        violations.push(`unknown model ${car.make} ${car.model}`);
        continue;
      }
      check(car.bodyType === model.bodyType, 'body type of model', car);
      check(model.fuels.includes(car.fuel), 'fuel offered for model', car);
      check(
        car.year >= Math.max(MIN_YEAR, model.since ?? MIN_YEAR) && car.year <= REFERENCE_YEAR,
        'year',
        car,
      );
      check(Number.isInteger(car.price) && car.price >= 500 && car.price <= 200_000, 'price range', car);
      check(car.price % 10 === 0, 'price rounded to 10', car);
      check(
        Number.isInteger(car.mileageKm) && car.mileageKm >= 0 && car.mileageKm <= 600_000,
        'mileage',
        car,
      );
      check((TRANSMISSIONS as readonly string[]).includes(car.transmission), 'transmission', car);
      check((COLOURS as readonly string[]).includes(car.colour), 'colour', car);
      check((CITIES as readonly string[]).includes(car.city), 'city', car);
      check(car.fuel !== 'electric' || car.transmission === 'automatic', 'EVs are automatic', car);
      check(!['electric', 'plugin_hybrid'].includes(car.fuel) || car.year >= 2012, 'no early EVs', car);
    }
    expect(violations.slice(0, 5)).toEqual([]);
  });

  it('spreads over every make, body type and fuel, newer cars costing more on average', () => {
    const cars = generateCars(20_000, 42);
    expect(new Set(cars.map((c) => c.make)).size).toBe(MAKES.length);
    expect(new Set(cars.map((c) => c.bodyType)).size).toBe(BODY_TYPES.length);
    expect(new Set(cars.map((c) => c.fuel)).size).toBe(FUELS.length);
    const meanPrice = (year: number) => {
      const prices = cars.filter((c) => c.year === year).map((c) => c.price);
      return prices.reduce((sum, p) => sum + p, 0) / prices.length;
    };
    expect(meanPrice(REFERENCE_YEAR)).toBeGreaterThan(2 * meanPrice(MIN_YEAR + 2));
  });

  it('gives cars features in catalogue order, a dealer in their city, and a skewed popularity', () => {
    const cars = generateCars(5_000, 42);
    for (const car of cars.slice(0, 500)) {
      expect(car.features).toEqual(FEATURE_NAMES.filter((f) => car.features.includes(f)));
      expect(Math.ceil(car.dealerId / 80) - 1).toBe(CITIES.indexOf(car.city as (typeof CITIES)[number]));
    }
    const favourites = cars.map((c) => c.favouriteCount).sort((a, b) => a - b);
    expect(favourites[0]).toBeGreaterThanOrEqual(0);
    expect(favourites[favourites.length / 2]!).toBeLessThan(favourites.at(-1)! / 10);
    const richer = (bodyType: string) => cars.filter((c) => c.bodyType === bodyType);
    const meanFeatures = (list: typeof cars) => list.reduce((n, c) => n + c.features.length, 0) / list.length;
    expect(meanFeatures(cars.filter((c) => c.price > 50_000))).toBeGreaterThan(
      meanFeatures(cars.filter((c) => c.price < 10_000)),
    );
    expect(richer('suv').length).toBeGreaterThan(0);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => generateCars(-1, 1)).toThrow(/count/);
    expect(() => generateCars(1.5, 1)).toThrow(/count/);
  });
});
