// Search SQL: filters, free text, sort, keyset and offset paging (facets: facet-sql.ts). Plain PostgreSQL for both
// engines; user input only ever travels as $n parameters — the text here is built from fixed pieces.
import type { BodyType, Fuel, Transmission } from '../cars/catalog.ts';
import { type TextTerms, textTermsSql } from './text-terms.ts';

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
  /** `q` as column conditions when it is plain words (resolved by the store; not an API input). */
  textTerms?: TextTerms | null | undefined;
};

/** The fields that decide which cars match (not their order or page): what a count depends on. */
export const FILTER_KEYS = [
  'make',
  'model',
  'bodyType',
  'fuel',
  'transmission',
  'city',
  'minPrice',
  'maxPrice',
  'minYear',
  'maxYear',
  'minMileage',
  'maxMileage',
  'q',
] as const satisfies readonly (keyof CarFilters)[];

/** Only the filters of a search (sort, page and cursor dropped), e.g. to key its count. */
export function filtersOf(search: CarFilters): CarFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (search[key] !== undefined) filters[key] = search[key];
  return filters as CarFilters;
}

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

export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Full text ranks rows by ts_rank. The fuzzy fallback matches the make/model vocabulary by trigram
 * similarity and keeps only the best-scoring names ("did you mean"): all their cars are equally
 * relevant, so the rank is a constant and the order falls to id.
 */
function fullTextQuery(q: string): { match: string; rank: string } {
  return {
    match: `search_doc @@ websearch_to_tsquery('simple', ${q})`,
    rank: `ts_rank(search_doc, websearch_to_tsquery('simple', ${q}))`,
  };
}

/** The best-matching (make, model) names for a typo, as a derived table `names` (a handful of rows). */
export function fuzzyNames(q: string): string {
  return `(SELECT make AS name_make, model AS name_model FROM (
    SELECT make, model, word_similarity(${q}, name) AS similarity,
      max(word_similarity(${q}, name)) OVER () AS best
    FROM car_models WHERE ${q} <% name) AS scored WHERE similarity = best) AS names`;
}

const NAME_MATCH = 'make = names.name_make AND model = names.name_model';

/**
 * Where the rows come from. Fuzzy text reads each matched name's cars through the (model, …)
 * indexes in a LATERAL join, so the planner never walks the whole table hoping to meet a name
 * (which it did with `(make, model) IN (…)`: 0.3–0.7 s at 1 M cars); `perName` bounds each name's
 * rows when only the first rows in `order` are needed.
 */
export function fromMatches(
  q: string | undefined,
  mode: TextMode,
  conditions: string[],
  params: Params,
  perName?: { order: string; limit: number },
): string {
  if (q === undefined || mode === 'fulltext') return `FROM cars ${where(conditions)}`;
  const bounded = perName === undefined ? '' : ` ${perName.order} LIMIT ${params.add(perName.limit)}`;
  return `FROM ${fuzzyNames(params.add(q))} CROSS JOIN LATERAL (SELECT * FROM cars ${where([NAME_MATCH, ...conditions])}${bounded}) AS cars`;
}

const FUZZY_RANK = '1::real';

export function whereConditions(filters: CarFilters, mode: TextMode, params: Params): string[] {
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
  // Fuzzy text is a join on the matched names (fromMatches), not a condition.
  if (filters.q !== undefined && mode === 'fulltext') {
    if (filters.textTerms) conditions.push(...textTermsSql(filters.textTerms, (v) => params.add(v)));
    else conditions.push(fullTextQuery(params.add(filters.q)).match);
  }
  return conditions;
}

export function where(conditions: string[]): string {
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
      return { expr: fullTextQuery(params.add(search.q)).rank, desc: true };
    }
  }
}

/**
 * Totals are exact up to COUNT_LIMIT and reported as "at least" beyond (as Elasticsearch's
 * track_total_hits does): counting 300 000 matches would cost more than the page itself.
 */
export const COUNT_LIMIT = 10_000;

/**
 * How a page is read depends on how many rows match (counted first, bounded by COUNT_LIMIT):
 * - up to SORT_ALL_MATCHES (all the count knows exactly, and 5 % of the table): every match is read through the filter
 *   indexes and sorted (≤ 10 000 rows: 5–20 ms at 1 M cars). Walking the
 *   sort's index instead, hoping to meet the rare matches, read most of the table (3.9 s at 1 M cars
 *   for make=Mercedes-Benz&bodyType=coupe&sort=-year);
 * - more: the sort's index is walked (matches are dense enough to fill a page soon). Relevance has no
 *   index, so it ranks a window of RELEVANCE_WINDOW matches, the newest first (a rescore window, as
 *   search engines have): ranking all 100 000 cars matching "toyota" took 350 ms, a window of 300
 *   takes ~10 ms. Ranks rarely differ here (each word appears once per car), so the window's order
 *   is the order overall; when they do differ, a better match outside it comes on a later page.
 */
export const SORT_ALL_MATCHES = COUNT_LIMIT;
/** Matches (up to COUNT_LIMIT + 1) out of the table's rows; few is also at most 5 % of the table. */
export type Counted = { matches: number; tableRows: number };
export const RELEVANCE_WINDOW = 300;

/**
 * One page plus one row (to know whether another page follows), with the row's sort key as
 * `sortKey` for the next cursor. Ties are broken by id in the same direction, so the keyset
 * condition is one row comparison the (column, id) indexes can seek on.
 */
export function searchCarsQuery(search: CarSearch, counted?: Counted): SqlQuery {
  const params = new Params();
  const mode = search.textMode ?? 'fulltext';
  const conditions = whereConditions(search, mode, params);
  const { expr, desc } = sortKey(search, params);
  if (search.after !== undefined) {
    conditions.push(
      `(${expr}, id) ${desc ? '<' : '>'} (${params.add(search.after.key)}, ${params.add(search.after.id)})`,
    );
  }
  const dir = desc ? 'DESC' : 'ASC';
  const order = `ORDER BY ${expr} ${dir}, id ${dir}`;
  const skip = search.after === undefined ? (search.page - 1) * search.pageSize : 0;
  const limit = params.add(search.pageSize + 1);
  const offset = search.after === undefined ? ` OFFSET ${params.add(skip)}` : '';
  const few = counted !== undefined && counted.matches <= Math.min(SORT_ALL_MATCHES, counted.tableRows / 20);
  let from: string;
  if (mode === 'fuzzy' && search.q !== undefined) {
    from = fromMatches(search.q, mode, conditions, params, { order, limit: skip + search.pageSize + 1 });
  } else if (few) {
    // OFFSET 0 keeps the planner from pushing the ORDER BY into the scan (an optimisation fence).
    from = `FROM (SELECT * FROM cars ${where(conditions)} OFFSET 0) AS cars`;
  } else if (search.sort === 'relevance') {
    const window = params.add(Math.max(RELEVANCE_WINDOW, skip + search.pageSize + 1));
    from = `FROM (SELECT * FROM cars ${where(conditions)} ORDER BY id DESC LIMIT ${window}) AS cars`;
  } else {
    from = `FROM cars ${where(conditions)}`;
  }
  // The page's ids first (from the indexes alone when the filters allow: the sort indexes carry the
  // filter columns), then only those rows read from the table.
  return {
    text: `SELECT ${CAR_COLUMNS}, page."sortKey" FROM (SELECT id, ${expr} AS "sortKey" ${from} ${order} LIMIT ${limit}${offset}) AS page JOIN cars USING (id) ORDER BY page."sortKey" ${dir}, id ${dir}`,
    values: params.values,
  };
}

export function hasConditions(filters: CarFilters): boolean {
  return whereConditions(filters, 'fulltext', new Params()).length > 0;
}

export function countCarsQuery(filters: CarFilters, mode: TextMode = 'fulltext'): SqlQuery {
  const params = new Params();
  const conditions = whereConditions(filters, mode, params);
  const cap = params.add(COUNT_LIMIT + 1);
  const from = fromMatches(filters.q, mode, conditions, params, { order: '', limit: COUNT_LIMIT + 1 });
  return {
    text: `SELECT count(*)::integer AS total FROM (SELECT 1 ${from} LIMIT ${cap}) AS matches`,
    values: params.values,
  };
}
