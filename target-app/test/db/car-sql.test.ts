// The search SQL builder: user input travels only as parameters, never inside the SQL text.
import { describe, expect, it } from 'vitest';
import { COUNT_LIMIT, countCarsQuery, filtersOf, searchCarsQuery } from '../../src/db/car-sql.ts';
import { facetCountsQuery } from '../../src/db/facet-sql.ts';

const hostile = "x'); DROP TABLE cars; --";

describe('search SQL', () => {
  it('keeps every user value out of the statement text', () => {
    const search = {
      make: hostile,
      model: hostile,
      city: hostile,
      q: hostile,
      minPrice: 1,
      sort: 'relevance' as const,
      page: 2,
      pageSize: 10,
      after: { key: 0.5, id: 9 },
    };
    for (const mode of ['fulltext', 'fuzzy'] as const) {
      for (const query of [
        searchCarsQuery({ ...search, textMode: mode }),
        countCarsQuery(search, mode),
        facetCountsQuery(search, mode),
        facetCountsQuery(search, mode, 2),
      ]) {
        expect(query.text).not.toContain('DROP');
        expect(query.values).toContain(hostile);
        const placeholders = new Set(query.text.match(/\$\d+/g));
        expect(placeholders.size).toBe(query.values.length);
      }
    }
  });

  it('counts at most one row past the limit', () => {
    const query = countCarsQuery({ make: 'BMW' });
    expect(query.text).toMatch(/LIMIT \$2\) AS matches$/);
    expect(query.values).toEqual(['BMW', COUNT_LIMIT + 1]);
  });

  it('pages by keyset after a cursor, by offset otherwise', () => {
    const keyset = searchCarsQuery({ sort: '-price', page: 1, pageSize: 20, after: { key: 1000, id: 5 } });
    expect(keyset.text).toContain('(price, id) < ($1, $2) ORDER BY price DESC, id DESC LIMIT $3');
    expect(keyset.values).toEqual([1000, 5, 21]);
    const offset = searchCarsQuery({ sort: 'year', page: 3, pageSize: 20 });
    expect(offset.text).toContain('ORDER BY year ASC, id ASC LIMIT $1 OFFSET $2');
    expect(offset.values).toEqual([21, 40]);
  });

  it('keys a count by the filters alone: sort, page and cursor do not change it', () => {
    const filters = { make: 'BMW', minPrice: 1000, q: 'red' };
    const search = { ...filters, sort: '-year' as const, page: 3, pageSize: 50, after: { key: 1, id: 2 } };
    expect(filtersOf(search)).toEqual(filters);
    expect(countCarsQuery(filtersOf(search))).toEqual(countCarsQuery(search));
  });
});
