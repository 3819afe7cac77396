import { describe, expect, it } from 'vitest';
import { buildVocabulary, textTermsOf, textTermsSql } from '../../src/db/text-terms.ts';

const vocabulary = buildVocabulary([
  { lexeme: 'mercedes-benz', field: 'make', value: 'Mercedes-Benz' },
  { lexeme: 'mercedes', field: 'make', value: 'Mercedes-Benz' },
  { lexeme: 'benz', field: 'make', value: 'Mercedes-Benz' },
  { lexeme: 'series', field: 'model', value: '3 Series' },
  { lexeme: 'series', field: 'model', value: '5 Series' },
  { lexeme: 'hybrid', field: 'fuel', value: 'hybrid' },
  { lexeme: 'hybrid', field: 'fuel', value: 'plugin_hybrid' },
  { lexeme: 'red', field: 'colour', value: 'red' },
  { lexeme: "o'neil", field: 'city', value: "O'Neil" },
  { lexeme: 'ignored', field: 'search_doc', value: 'x' },
]);

describe('textTermsOf', () => {
  it('turns a conjunction of words into per-word column values', () => {
    expect(textTermsOf("'series' & 'red'", vocabulary)).toEqual([
      [{ column: 'model', values: ['3 Series', '5 Series'] }],
      [{ column: 'colour', values: ['red'] }],
    ]);
    expect(textTermsOf("'hybrid'", vocabulary)).toEqual([
      [{ column: 'fuel', values: ['hybrid', 'plugin_hybrid'] }],
    ]);
    expect(textTermsOf("'o''neil'", vocabulary)).toEqual([[{ column: 'city', values: ["O'Neil"] }]]);
  });

  it("reads a hyphenated word's phrase as the whole word", () => {
    expect(textTermsOf("'mercedes-benz' <-> 'mercedes' <-> 'benz'", vocabulary)).toEqual([
      [{ column: 'make', values: ['Mercedes-Benz'] }],
    ]);
  });

  it('gives a word no car has no values (the search matches nothing)', () => {
    expect(textTermsOf("'red' & 'zeppelin'", vocabulary)).toEqual([
      [{ column: 'colour', values: ['red'] }],
      [],
    ]);
  });

  it('keeps full text for phrases, OR, negation, prefixes and empty queries', () => {
    for (const tsquery of [
      "'golf' <-> 'hatchback'",
      "'red' | 'blue'",
      "'red' & !'blue'",
      "'red':*",
      "( 'red' | 'blue' ) & 'benz'",
      '',
    ]) {
      expect(textTermsOf(tsquery, vocabulary), tsquery).toBeNull();
    }
  });
});

describe('textTermsSql', () => {
  it('ORs the columns of a word, ANDs the words, and makes an unknown word false', () => {
    const values: unknown[] = [];
    const add = (v: unknown) => {
      values.push(v);
      return `$${values.length}`;
    };
    const terms = textTermsOf("'hybrid' & 'zeppelin'", vocabulary)!;
    expect(textTermsSql(terms, add)).toEqual(['(fuel = ANY($1::text[]))', 'false']);
    expect(values).toEqual([['hybrid', 'plugin_hybrid']]);
  });
});
