// Facet counts: counts per value of make, body type, fuel, transmission and price band under the
// search's filters, exact over at most COUNT_LIMIT matches, estimated from a sample beyond.
import {
  type CarFilters,
  fromMatches,
  fuzzyNames,
  Params,
  type SqlQuery,
  type TextMode,
  where,
  whereConditions,
} from './car-sql.ts';

export const FACETS = ['make', 'bodyType', 'fuel', 'transmission', 'priceBand'] as const;
export type Facet = (typeof FACETS)[number];
const FACET_COLUMNS: Record<Facet, string> = {
  make: 'make',
  bodyType: 'body_type',
  fuel: 'fuel',
  transmission: 'transmission',
  priceBand: 'price_band',
};

/**
 * Rows a sampled facet count reads. Counting every match costs a full pass over them (1.1 s for
 * the unfiltered million, 0.3–0.6 s for one broad filter); a block sample of ~10 000 rows costs
 * 10–20 ms and, since more than COUNT_LIMIT (≥ 1 % of the table at 1 M) match whenever it is used,
 * holds a hundred matches or more — enough for the shares a facet list shows. A sample was
 * chosen over a pre-aggregated table because prices (hence price bands) change while the app runs
 * and any filter (ranges, city, free text) would fall outside such a table anyway.
 */
export const FACET_SAMPLE_ROWS = 10_000;

/** Sample percentage of the table for `carCount` rows (100: read everything). */
export function facetSamplePercent(carCount: number): number {
  return Math.min(100, (100 * FACET_SAMPLE_ROWS) / Math.max(1, carCount));
}

/**
 * Counts per value of every facet under the filters, in one pass (GROUPING SETS); the empty
 * grouping set's `sampled` is the number of rows read. With `samplePercent` the rows come from a
 * repeatable block sample (TABLESAMPLE SYSTEM), the filters are applied as aggregate FILTERs so
 * `sampled` counts every sampled row, and the caller scales `n` by table rows / sampled rows.
 */
export function facetCountsQuery(
  filters: CarFilters,
  mode: TextMode = 'fulltext',
  samplePercent?: number,
): SqlQuery {
  const params = new Params();
  const conditions = whereConditions(filters, mode, params);
  const selects = FACETS.map((f) => `${FACET_COLUMNS[f]}::text AS "${f}"`).join(', ');
  const sets = [...FACETS.map((f) => `(${FACET_COLUMNS[f]})`), '()'].join(', ');
  if (samplePercent === undefined) {
    return {
      text: `SELECT ${selects}, count(*)::integer AS n, count(*)::integer AS sampled ${fromMatches(filters.q, mode, conditions, params)} GROUP BY GROUPING SETS (${sets})`,
      values: params.values,
    };
  }
  if (filters.q !== undefined && mode === 'fuzzy') {
    conditions.push(
      `(make, model) IN (SELECT name_make, name_model FROM ${fuzzyNames(params.add(filters.q))})`,
    );
  }
  const filter = conditions.length > 0 ? ` FILTER (${where(conditions)})` : '';
  return {
    text: `SELECT ${selects}, (count(*)${filter})::integer AS n, count(*)::integer AS sampled
FROM cars TABLESAMPLE SYSTEM (${params.add(samplePercent)}) REPEATABLE (${params.add(1)}) GROUP BY GROUPING SETS (${sets})`,
    values: params.values,
  };
}
