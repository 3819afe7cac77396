// Reads k6's CSV output (`--out csv`): one line per metric sample, a header naming the columns
// (metric_name, timestamp, metric_value, one column per system tag, extra_tags, metadata). Lines
// that are not CSV rows of that header (a summary printed on the same stream) are left to the caller.

/** One sample of a k6 metric, with the tags results group by. */
export type K6CsvSample = {
  metric: string;
  /** Unix ms (k6 run with K6_CSV_TIME_FORMAT=unix_milli). */
  timeMs: number;
  value: number;
  name: string;
  method: string;
  status: string;
  expectedResponse: string;
  scenario: string;
  /** Tags that are not system tags (run_id, segment, …), from the extra_tags column. */
  extraTags: Record<string, string>;
};

/** The fields of one CSV line as Go's encoding/csv writes them; null when its quotes do not close. */
export function parseCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return null;
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** k6 writes extra tags as `k1=v1&k2=v2` (unescaped). */
export function parseExtraTags(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

export const K6_CSV_HEADER_START = 'metric_name,timestamp,metric_value,';

export type K6CsvReader = {
  /**
   * One line of the stream: `sample` for a row of a wanted metric, `row` for another metric's row or
   * the header, `other` for anything that is not a row of the header (the caller logs it).
   */
  read(line: string): { type: 'sample'; sample: K6CsvSample } | { type: 'row' } | { type: 'other' };
};

/** A reader keeping only the samples of `metrics` (e.g. http_req_duration). */
export function createK6CsvReader(metrics: ReadonlySet<string>): K6CsvReader {
  let columns: Map<string, number> | null = null;
  let width = 0;
  return {
    read(line) {
      if (line.startsWith(K6_CSV_HEADER_START)) {
        const header = parseCsvLine(line) ?? [];
        columns = new Map(header.map((name, i) => [name, i]));
        width = header.length;
        return { type: 'row' };
      }
      if (!columns) return { type: 'other' };
      const comma = line.indexOf(',');
      // Only a metric name (k6 allows [A-Za-z0-9_.-]) may start a row.
      if (comma <= 0 || !/^[\w.-]+$/.test(line.slice(0, comma))) return { type: 'other' };
      if (!metrics.has(line.slice(0, comma))) return { type: 'row' };
      const fields = parseCsvLine(line);
      if (!fields || fields.length !== width) return { type: 'other' };
      const col = (name: string): string => {
        const i = columns?.get(name);
        return i === undefined ? '' : (fields[i] ?? '');
      };
      const timeMs = Number(col('timestamp'));
      const value = Number(col('metric_value'));
      if (!Number.isFinite(timeMs) || !Number.isFinite(value)) return { type: 'other' };
      return {
        type: 'sample',
        sample: {
          metric: col('metric_name'),
          timeMs,
          value,
          name: col('name'),
          method: col('method'),
          status: col('status'),
          expectedResponse: col('expected_response'),
          scenario: col('scenario'),
          extraTags: parseExtraTags(col('extra_tags')),
        },
      };
    },
  };
}
