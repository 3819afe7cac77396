// Search SQL: filters, free text, sort, keyset and offset paging, facets. Plain PostgreSQL for both
// engines; user input only ever travels as $n parameters — the text here is built from fixed pieces.
import type { BodyType, Fuel, Transmission } from '../cars/catalog.ts';

export const CAR_COLUMNS = `id, make, model, year, price, mileage_km AS "mileageKm", body_type AS "bodyType", fuel,
  transmission, colour, city, dealer_id AS "dealerId", features, favourite_count AS "favouriteCount"`;

export const SELECT_CAR_BY_ID = `SELECT ${CAR_COLUMNS} FROM cars WHERE id = $1`;
export const SELECT_MAKES = 'SELECT DISTINCT make FROM car_models ORDER BY make';

export type CarFilters = {
  make?: string | undefined;
  model?: string | undefined;
  bodyType?: BodyType | undefined;
  fuel?: Fuel | undefined;
  transmission?: Transmission | undefined;
  city?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  minYear?: number | undefined;
  maxYear?: number | undefined;
  minMileage?: number | undefined;
  maxMileage?: number | undefined;
  /** Free text: full-text match on every text field, or trigram similarity to make + model when textMode is 'fuzzy'. */
  q?: string | undefined;
};

export const CAR_SORTS = ['price', '-price', 'year', '-year', 'mileage', '-mileage', 'relevance'] as const;
export type CarSort = (typeof CAR_SORTS)[number];
export type TextMode = 'fulltext' | 'fuzzy';

/** Where the next page starts: the last row's sort key and id. */
export type Keyset = { key: number; id: number };

export type CarSearch = CarFilters & {
  sort: CarSort;
  pageSize: number;
  /** Offset paging (1-based); ignored when `after` is set. */
  page: number;
  after?: Keyset | undefined;
  textMode?: TextMode | undefined;
};

export type SqlQuery = { text: string; values: unknown[] };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Full text ranks rows by ts_rank. The fuzzy fallback matches the make/model vocabulary by trigram
 * similarity and keeps only the best-scoring names ("did you mean"): all their cars are equally
 * relevant, so the rank is a constant and the order falls to id, which the primary key serves
 * without reading every matching row.
 */
function textQuery(mode: TextMode, q: string): { match: string; rank: string } {
  return mode === 'fulltext'
    ? {
        match: `search_doc @@ websearch_to_tsquery('simple', ${q})`,
        rank: `ts_rank(search_doc, websearch_to_tsquery('simple', ${q}))`,
      }
    : {
        match: `(make, model) IN (SELECT make, model FROM (
    SELECT make, model, word_similarity(${q}, name) AS similarity,
      max(word_similarity(${q}, name)) OVER () AS best
    FROM car_models WHERE ${q} <% name) AS names WHERE similarity = best)`,
        rank: FUZZY_RANK,
      };
}

const FUZZY_RANK = '1::real';

function whereConditions(filters: CarFilters, mode: TextMode, params: Params): string[] {
  const conditions: string[] = [];
  const eq = (column: string, value: unknown) => {
    if (value !== undefined) conditions.push(`${column} = ${params.add(value)}`);
  };
  const range = (column: string, min: number | undefined, max: number | undefined) => {
    if (min !== undefined) conditions.push(`${column} >= ${params.add(min)}`);
    if (max !== undefined) conditions.push(`${column} <= ${params.add(max)}`);
  };
  eq('make', filters.make);
  eq('model', filters.model);
  eq('body_type', filters.bodyType);
  eq('fuel', filters.fuel);
  eq('transmission', filters.transmission);
  eq('city', filters.city);
  range('price', filters.minPrice, filters.maxPrice);
  range('year', filters.minYear, filters.maxYear);
  range('mileage_km', filters.minMileage, filters.maxMileage);
  if (filters.q !== undefined) conditions.push(textQuery(mode, params.add(filters.q)).match);
  return conditions;
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** The sort expression and direction; relevance needs `q`. */
function sortKey(search: CarSearch, params: Params): { expr: string; desc: boolean } {
  switch (search.sort) {
    case 'price':
    case '-price':
      return { expr: 'price', desc: search.sort === '-price' };
    case 'year':
    case '-year':
      return { expr: 'year', desc: search.sort === '-year' };
    case 'mileage':
    case '-mileage':
      return { expr: 'mileage_km', desc: search.sort === '-mileage' };
    case 'relevance': {
      if (search.q === undefined) throw new Error('relevance sort needs q');
      if (search.textMode === 'fuzzy') return { expr: FUZZY_RANK, desc: true };
      return { expr: textQuery(search.textMode ?? 'fulltext', params.add(search.q)).rank, desc: true };
    }
  }
}

/**
 * One page plus one row (to know whether another page follows), with the row's sort key as
 * `sortKey` for the next cursor. Ties are broken by id in the same direction, so the keyset
 * condition is one row comparison the (column, id) indexes can seek on.
 */
export function searchCarsQuery(search: CarSearch): SqlQuery {
  const params = new Params();
  const conditions = whereConditions(search, search.textMode ?? 'fulltext', params);
  const { expr, desc } = sortKey(search, params);
  if (search.after !== undefined) {
    conditions.push(
      `(${expr}, id) ${desc ? '<' : '>'} (${params.add(search.after.key)}, ${params.add(search.after.id)})`,
    );
  }
  const dir = desc ? 'DESC' : 'ASC';
  const limit = params.add(search.pageSize + 1);
  const offset =
    search.after === undefined ? ` OFFSET ${params.add((search.page - 1) * search.pageSize)}` : '';
  return {
    text: `SELECT ${CAR_COLUMNS}, ${expr} AS "sortKey" FROM cars ${where(conditions)} ORDER BY ${expr} ${dir}, id ${dir} LIMIT ${limit}${offset}`,
    values: params.values,
  };
}

/**
 * Totals are exact up to COUNT_LIMIT and reported as "at least" beyond (as Elasticsearch's
 * track_total_hits does): counting 300 000 matches would cost more than the page itself.
 */
export const COUNT_LIMIT = 10_000;

export function hasConditions(filters: CarFilters): boolean {
  return whereConditions(filters, 'fulltext', new Params()).length > 0;
}

export function countCarsQuery(filters: CarFilters, mode: TextMode = 'fulltext'): SqlQuery {
  const params = new Params();
  const conditions = whereConditions(filters, mode, params);
  return {
    text: `SELECT count(*)::integer AS total FROM (SELECT 1 FROM cars ${where(conditions)} LIMIT ${params.add(COUNT_LIMIT + 1)}) AS matches`,
    values: params.values,
  };
}

export const FACETS = ['make', 'bodyType', 'fuel', 'transmission', 'priceBand'] as const;
export type Facet = (typeof FACETS)[number];
const FACET_COLUMNS: Record<Facet, string> = {
  make: 'make',
  bodyType: 'body_type',
  fuel: 'fuel',
  transmission: 'transmission',
  priceBand: 'price_band',
};

/** Counts per value of every facet under the same filters, in one scan (GROUPING SETS). */
export function facetCountsQuery(filters: CarFilters, mode: TextMode = 'fulltext'): SqlQuery {
  const params = new Params();
  const conditions = whereConditions(filters, mode, params);
  const selects = FACETS.map((f) => `${FACET_COLUMNS[f]}::text AS "${f}"`).join(', ');
  const sets = FACETS.map((f) => `(${FACET_COLUMNS[f]})`).join(', ');
  return {
    text: `SELECT ${selects}, count(*)::integer AS n FROM cars ${where(conditions)} GROUP BY GROUPING SETS (${sets})`,
    values: params.values,
  };
}
