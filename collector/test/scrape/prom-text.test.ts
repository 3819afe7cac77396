// The Prometheus text parser against prom-client's real output, the format's corner cases, the
// bad-exposition corpus (corpus/prom/bad-expositions.json), and seeded mutations (fuzz): every
// input either parses or fails with a PromParseError naming its line — never anything else — and
// whatever parses maps to rows without throwing.
import { readFileSync } from 'node:fs';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { PromParseError, parsePromText, parseScrapeTargets } from '../../src/index.ts';
import { CumulativeToDelta } from '../../src/normalise/cumulative-to-delta.ts';
import { familiesToMetrics } from '../../src/scrape/prom-to-metrics.ts';
import { metricRows } from '../../src/write/metric-rows.ts';

let exposition = '';
beforeAll(async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const h = new Histogram({
    name: 'req_seconds',
    help: 'Request "time"\nsecond line \\ done',
    labelNames: ['route'],
    buckets: [0.1, 1],
    registers: [registry],
  });
  h.labels('/a "quoted"\n').observe(0.5);
  h.labels('/b').observe(3);
  new Counter({ name: 'jobs_total', help: 'Jobs', registers: [registry] }).inc(4);
  new Gauge({ name: 'temp', help: 'T', registers: [registry] }).set(-1.5e-3);
  new Summary({ name: 'sz', help: 'S', registers: [registry] }).observe(10);
  exposition = await registry.metrics();
});

const convert = (text: string) =>
  familiesToMetrics(parsePromText(text), { timeUnixNano: 1_700_000_000_000_000_000n, startOf: () => 1n });

describe('parsePromText', () => {
  it("reads prom-client's exposition: types, escaped labels and help, buckets", () => {
    const families = Object.fromEntries(parsePromText(exposition).map((f) => [f.name, f]));
    expect(families.req_seconds?.type).toBe('histogram');
    expect(families.req_seconds?.help).toBe('Request "time"\nsecond line \\ done');
    expect(families.req_seconds?.samples.map((s) => s.labels.route)).toContain('/a "quoted"\n');
    expect(families.jobs_total).toMatchObject({ type: 'counter', samples: [{ value: 4 }] });
    expect(families.temp?.samples[0]?.value).toBe(-0.0015);
    expect(families.sz?.type).toBe('summary');
    expect(families.process_start_time_seconds?.type).toBe('gauge');
    const [histogram] = convert(exposition).filter((m) => m.name === 'req_seconds');
    expect(histogram).toMatchObject({ type: 'histogram', temporality: 2 });
    if (histogram?.type !== 'histogram') throw new Error('no histogram');
    const b = histogram.points.find((p) => p.attributes.route === '/b');
    expect(b).toMatchObject({ count: 1, sum: 3, explicitBounds: [0.1, 1], bucketCounts: [0, 0, 1] });
  });

  it('accepts NaN, ±Inf, timestamps, trailing commas, comments and untyped samples', () => {
    const families = parsePromText(
      [
        '# a comment',
        '# TYPE g gauge',
        'g{a="1",} NaN',
        'g{a="2"} +Inf 1700000000000',
        'g{a="3"}   -Inf',
        'loose_metric 2e3',
        '',
      ].join('\r\n'),
    );
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['g', 'gauge', 3],
      ['loose_metric', 'untyped', 1],
    ]);
    expect(families[0]?.samples[1]).toMatchObject({ value: Infinity, timestampMs: 1_700_000_000_000 });
    expect(families[1]?.samples[0]?.value).toBe(2000);
  });

  const corpus = JSON.parse(
    readFileSync(new URL('../corpus/prom/bad-expositions.json', import.meta.url), 'utf8'),
  ) as { name: string; text: string; error: string }[];
  it.each(corpus.map((c) => [c.name, c] as const))('refuses %s with the line and reason', (_n, c) => {
    expect(() => parsePromText(c.text)).toThrow(PromParseError);
    expect(() => parsePromText(c.text)).toThrow(c.error);
  });

  it('enforces the sample limit', () => {
    expect(() => parsePromText('a 1\nb 2\nc 3\n', { maxSamples: 2 })).toThrow('line 3: more than 2 samples');
  });

  it('survives 3000 seeded mutations of a real exposition (fuzz)', () => {
    let seed = 1234;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const chars = ['{', '}', '"', '\\', ',', '=', ' ', '\n', '#', 'e', '-', '+', 'N', '\u0000', 'é', '9'];
    let parsed = 0;
    let refused = 0;
    let storedPoints = 0;
    let rejectedPoints = 0;
    // The unmutated exposition: every point becomes exactly one row, or is rejected with a reason
    // (prom-client's event-loop mean and stddev are NaN until it has a sample).
    const whole = account(convert(exposition));
    expect(whole.stored + whole.rejected).toBe(whole.points);
    expect(whole.stored).toBeGreaterThan(50);
    for (let i = 0; i < 3000; i++) {
      let text = exposition;
      for (let m = 0, n = 1 + rnd(4); m < n; m++) {
        const at = rnd(text.length);
        switch (rnd(5)) {
          case 0:
            text = text.slice(0, at); // truncated
            break;
          case 1:
            text =
              text.slice(0, at) +
              String.fromCharCode(text.charCodeAt(at) ^ (1 << rnd(7))) +
              text.slice(at + 1);
            break;
          case 2:
            text = text.slice(0, at) + chars[rnd(chars.length)] + text.slice(at);
            break;
          case 3:
            text = text.slice(0, at) + text.slice(at + 1 + rnd(20));
            break;
          default: {
            const lines = text.split('\n');
            lines.splice(rnd(lines.length), 0, lines[rnd(lines.length)] ?? '');
            text = lines.join('\n');
          }
        }
      }
      try {
        const metrics = convert(text);
        const { stored, rejected, points, reasons } = account(metrics);
        // Whatever parses maps to rows: no point stored twice or invented, a reason for any rejection
        // (fewer than the points when a mutation duplicated a sample: a series' repeat is dropped).
        expect(stored + rejected).toBeLessThanOrEqual(points);
        expect(reasons > 0).toBe(rejected > 0);
        storedPoints += stored;
        rejectedPoints += rejected;
        parsed++;
      } catch (error) {
        if (!(error instanceof PromParseError)) throw error;
        expect(error.message).toMatch(/^line \d+: /);
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    // Mutated expositions that parse still store points, and some reach the row mapper's own
    // checks (non-finite values, bad buckets), not only the parser's.
    expect(storedPoints).toBeGreaterThan(1000);
    expect(rejectedPoints).toBeGreaterThan(0);
  });
});

const emptyScope = { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };

/** Maps converted metrics to rows; counts points in, rows out and points rejected. */
function account(metrics: ReturnType<typeof convert>) {
  // Every series counts as started after this collector, so a cumulative first point is stored
  // whole instead of held back as a baseline: one point, one row.
  const rows = metricRows(
    [{ resource: { attributes: {}, schemaUrl: '' }, scopeMetrics: [{ scope: emptyScope, metrics }] }],
    new CumulativeToDelta({ startedAtUnixNano: 0n }),
  );
  const points = metrics.reduce((n, m) => n + (m.type === 'unsupported' ? m.pointCount : m.points.length), 0);
  const stored =
    rows.otel_metrics_gauge.length +
    rows.otel_metrics_sum.length +
    rows.otel_metrics_histogram.length +
    rows.otel_metrics_exponential_histogram.length +
    rows.otel_metrics_summary.length;
  return { points, stored, rejected: rows.rejected, reasons: rows.rejectReasons.length };
}

describe('parseScrapeTargets', () => {
  it('applies the defaults and caps the timeout at the interval', () => {
    expect(
      parseScrapeTargets(
        '[{"job":"a","url":"http://127.0.0.1:8080/metrics"},{"job":"b","url":"https://x/m","interval":"2s"}]',
      ),
    ).toEqual([
      { job: 'a', url: 'http://127.0.0.1:8080/metrics', intervalMs: 15_000, timeoutMs: 10_000 },
      { job: 'b', url: 'https://x/m', intervalMs: 2000, timeoutMs: 2000 },
    ]);
  });
  it('names every problem', () => {
    expect(() => parseScrapeTargets('nope')).toThrow(/must be JSON/);
    expect(() =>
      parseScrapeTargets('[{"job":"a b","url":"ftp://x","interval":"5 minutes","extra":1}]'),
    ).toThrow(/0\.job: job must be.*0\.url: .*0\.interval: a duration/);
  });
});
