// Free text as column conditions. A car's search_doc holds only the words of its make, model, body
// type, fuel, transmission, colour and city, so a plain query ("toyota red", "Mercedes-Benz") matches
// exactly the cars where every word is one of those columns' words: `make = ANY(…) OR colour = ANY(…)`
// per word. The search indexes carry those columns, so matches are chosen and counted in the index
// (an index-only scan) instead of reading every full-text hit from the table to test the other filters
// (80–130 ms for a broad word with a filter at 1 M cars). Anything but plain words (quoted phrases, OR,
// -negation) stays a full-text condition.

/** The columns search_doc is built from (schema.ts), as they appear in the search_terms table. */
export const TEXT_COLUMNS = ['make', 'model', 'body_type', 'fuel', 'transmission', 'colour', 'city'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];

/** Per query word, the column values containing it (all of them for the word to match). */
export type TextTerms = { column: TextColumn; values: string[] }[][];

/** Lexeme → the column values whose text contains it (from the search_terms table). */
export type Vocabulary = Map<string, { column: TextColumn; value: string }[]>;

export const SELECT_SEARCH_TERMS = 'SELECT lexeme, field, value FROM search_terms';
export const SELECT_TSQUERY = "SELECT websearch_to_tsquery('simple', $1)::text AS query";

export function buildVocabulary(rows: { lexeme: string; field: string; value: string }[]): Vocabulary {
  const vocabulary: Vocabulary = new Map();
  for (const row of rows) {
    const column = TEXT_COLUMNS.find((c) => c === row.field);
    if (column === undefined) continue;
    const entries = vocabulary.get(row.lexeme) ?? [];
    entries.push({ column, value: row.value });
    vocabulary.set(row.lexeme, entries);
  }
  return vocabulary;
}

/** `'a''b'` → `a'b`; undefined when the text is not one quoted lexeme. */
function lexemeOf(quoted: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/.exec(quoted);
  return m === null ? undefined : m[1]!.replaceAll("''", "'");
}

/**
 * The lexeme a conjunct of PostgreSQL's tsquery text stands for: a single lexeme, or a hyphenated
 * word's phrase (`'mercedes-benz' <-> 'mercedes' <-> 'benz'`), whose whole form occurs exactly where
 * the phrase does. Undefined for anything else (a quoted phrase of words, a prefix, weights).
 */
function conjunctLexeme(conjunct: string): string | undefined {
  const parts = conjunct.split(' <-> ');
  const lexemes = parts.map(lexemeOf);
  if (lexemes.some((l) => l === undefined)) return undefined;
  const [whole, ...pieces] = lexemes as string[];
  if (pieces.length === 0) return whole;
  return whole !== undefined && whole.split('-').join(' ') === pieces.join(' ') ? whole : undefined;
}

/**
 * The column conditions equivalent to `search_doc @@ <tsquery>`, given the tsquery's text form; null
 * when the query is not a conjunction of plain words (then the full-text condition is kept).
 */
export function textTermsOf(tsquery: string, vocabulary: Vocabulary): TextTerms | null {
  if (tsquery === '' || /[|!()]/.test(tsquery.replace(/'(?:[^']|'')*'/g, ''))) return null;
  const terms: TextTerms = [];
  for (const conjunct of tsquery.split(' & ')) {
    const lexeme = conjunctLexeme(conjunct);
    if (lexeme === undefined) return null;
    const entries = vocabulary.get(lexeme) ?? [];
    const byColumn = new Map<TextColumn, string[]>();
    for (const { column, value } of entries) byColumn.set(column, [...(byColumn.get(column) ?? []), value]);
    terms.push([...byColumn].map(([column, values]) => ({ column, values })));
  }
  return terms;
}

/** SQL for the terms, each value list as one array parameter; a word no car has → false. */
export function textTermsSql(terms: TextTerms, add: (value: unknown) => string): string[] {
  return terms.map((word) =>
    word.length === 0
      ? 'false'
      : `(${word.map(({ column, values }) => `${column} = ANY(${add(values)}::text[])`).join(' OR ')})`,
  );
}

/**
 * The words of every car's text columns, each with the column and value it comes from (built by
 * PostgreSQL's own parser, so it splits words exactly as search_doc does). Run after the cars load.
 */
export const FILL_SEARCH_TERMS = `
DROP TABLE IF EXISTS search_terms;
CREATE TABLE search_terms AS
SELECT DISTINCT lexeme, field, value
FROM (
  SELECT 'make' AS field, make AS value FROM car_models
  UNION SELECT 'model', model FROM car_models
  UNION SELECT unnest(ARRAY['body_type', 'fuel', 'transmission', 'colour', 'city']),
    unnest(ARRAY[body_type, fuel, transmission, colour, city])
  FROM (SELECT DISTINCT body_type, fuel, transmission, colour, city FROM cars) AS combinations
) AS fields, unnest(tsvector_to_array(to_tsvector('simple', value))) AS lexeme`;
