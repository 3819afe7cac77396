// Every SQL statement the target app runs, in plain PostgreSQL so the same text works on PGlite now
// and on a `pg` pool later. User input only ever travels as $n parameters.
import type { BodyType, Fuel } from '../cars/catalog.ts';
import type { Car } from '../cars/generate.ts';

export const CREATE_CARS_TABLE = `
CREATE TABLE IF NOT EXISTS cars (
  id integer PRIMARY KEY,
  make text NOT NULL,
  model text NOT NULL,
  year smallint NOT NULL,
  price integer NOT NULL CHECK (price >= 0),
  mileage_km integer NOT NULL CHECK (mileage_km >= 0),
  body_type text NOT NULL,
  fuel text NOT NULL,
  transmission text NOT NULL,
  colour text NOT NULL,
  city text NOT NULL
)`;

// Built after the bulk load (cheaper than maintaining them row by row). Each filter column leads an
// index that continues with (price, id), so "filter, then order by price" reads rows already in order.
export const CREATE_CARS_INDEXES = [
  'CREATE INDEX IF NOT EXISTS cars_price_id_idx ON cars (price, id)',
  'CREATE INDEX IF NOT EXISTS cars_make_price_idx ON cars (make, price, id)',
  'CREATE INDEX IF NOT EXISTS cars_body_type_price_idx ON cars (body_type, price, id)',
  'CREATE INDEX IF NOT EXISTS cars_fuel_price_idx ON cars (fuel, price, id)',
  'CREATE INDEX IF NOT EXISTS cars_year_idx ON cars (year)',
] as const;

export const ANALYZE_CARS = 'ANALYZE cars';

/** One statement per batch: parallel arrays unnested into rows (portable, unlike PGlite's COPY from a blob). */
export const INSERT_CARS = `
INSERT INTO cars (id, make, model, year, price, mileage_km, body_type, fuel, transmission, colour, city)
SELECT * FROM unnest(
  $1::integer[], $2::text[], $3::text[], $4::smallint[], $5::integer[], $6::integer[],
  $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]
)`;

export function insertCarsParams(cars: readonly Car[]): unknown[] {
  return [
    cars.map((c) => c.id),
    cars.map((c) => c.make),
    cars.map((c) => c.model),
    cars.map((c) => c.year),
    cars.map((c) => c.price),
    cars.map((c) => c.mileageKm),
    cars.map((c) => c.bodyType),
    cars.map((c) => c.fuel),
    cars.map((c) => c.transmission),
    cars.map((c) => c.colour),
    cars.map((c) => c.city),
  ];
}

const CAR_COLUMNS = `id, make, model, year, price, mileage_km AS "mileageKm", body_type AS "bodyType", fuel,
  transmission, colour, city`;

export const SELECT_CAR_BY_ID = `SELECT ${CAR_COLUMNS} FROM cars WHERE id = $1`;

export const SELECT_MAKES = 'SELECT DISTINCT make FROM cars ORDER BY make';

export type CarFilters = {
  make?: string | undefined;
  bodyType?: BodyType | undefined;
  fuel?: Fuel | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  minYear?: number | undefined;
  maxYear?: number | undefined;
};

export type CarSearch = CarFilters & { page: number; pageSize: number };

export type SqlQuery = { text: string; values: unknown[] };

function whereClause(filters: CarFilters, values: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(sql(`$${values.length}`));
  };
  if (filters.make !== undefined) add((p) => `make = ${p}`, filters.make);
  if (filters.bodyType !== undefined) add((p) => `body_type = ${p}`, filters.bodyType);
  if (filters.fuel !== undefined) add((p) => `fuel = ${p}`, filters.fuel);
  if (filters.minPrice !== undefined) add((p) => `price >= ${p}`, filters.minPrice);
  if (filters.maxPrice !== undefined) add((p) => `price <= ${p}`, filters.maxPrice);
  if (filters.minYear !== undefined) add((p) => `year >= ${p}`, filters.minYear);
  if (filters.maxYear !== undefined) add((p) => `year <= ${p}`, filters.maxYear);
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

export function searchCarsQuery(search: CarSearch): SqlQuery {
  const values: unknown[] = [];
  const where = whereClause(search, values);
  values.push(search.pageSize, (search.page - 1) * search.pageSize);
  const limit = `LIMIT $${values.length - 1} OFFSET $${values.length}`;
  return { text: `SELECT ${CAR_COLUMNS} FROM cars ${where} ORDER BY price, id ${limit}`, values };
}

export function countCarsQuery(filters: CarFilters): SqlQuery {
  const values: unknown[] = [];
  const where = whereClause(filters, values);
  return { text: `SELECT count(*)::integer AS total FROM cars ${where}`, values };
}
