// The fixture is real k6 v2.2.0 `--out csv` output (K6_CSV_TIME_FORMAT=unix_milli, tags run_id and
// segment): two iterations, each a request to a live server and one to a closed port whose name tag
// holds a comma and quotes (so Go's CSV writer quotes it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createK6CsvReader, parseCsvLine, parseExtraTags } from '../src/k6-csv.ts';

const lines = readFileSync(join(import.meta.dirname, 'fixtures', 'k6-samples.csv'), 'utf8')
  .trimEnd()
  .split('\n');

test('keeps only the wanted metric, with its value, time and tags', () => {
  const reader = createK6CsvReader(new Set(['http_req_duration']));
  const reads = lines.map((l) => reader.read(l));
  const samples = reads.flatMap((r) => (r.type === 'sample' ? [r.sample] : []));
  expect(reads.filter((r) => r.type === 'other')).toEqual([]);
  expect(samples.map((s) => [s.name, s.status, s.expectedResponse, s.value])).toEqual([
    ['GET /', '200', 'true', 2.889882],
    ['GET /x, "quoted"', '0', 'false', 0],
    ['GET /', '200', 'true', 4.746566],
    ['GET /x, "quoted"', '0', 'false', 0],
  ]);
  expect(samples[0]).toMatchObject({
    metric: 'http_req_duration',
    timeMs: 1796642307331,
    method: 'GET',
    scenario: 'default',
    extraTags: { run_id: 'run_fixture', segment: '0:1/2' },
  });
});

test('rows before the header, and lines that are not rows, are not samples', () => {
  const reader = createK6CsvReader(new Set(['http_req_duration']));
  const row = lines.find((l) => l.startsWith('http_req_duration,'))!;
  expect(reader.read(row).type).toBe('other');
  reader.read(lines[0]!);
  expect(reader.read(row).type).toBe('sample');
  expect(reader.read('     http_req_duration.....: avg=3ms').type).toBe('other');
  expect(reader.read('http_req_duration,1,2').type).toBe('other');
  expect(reader.read('http_req_duration,"unclosed').type).toBe('other');
  expect(reader.read(row.replace(',2.889882,', ',abc,')).type).toBe('other');
});

test("Go's CSV quoting and k6's extra tags", () => {
  expect(parseCsvLine('a,"b, ""c""",,d')).toEqual(['a', 'b, "c"', '', 'd']);
  expect(parseCsvLine('"a"x')).toBeNull();
  expect(parseExtraTags('')).toEqual({});
  expect(parseExtraTags('run_id=r1&segment=0:1/2')).toEqual({ run_id: 'r1', segment: '0:1/2' });
});
