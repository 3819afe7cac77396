// The unit of what a rule compares, and how a value in that unit reads. Units are OTel's (UCUM):
// `s`, `ms`, `By`, `1` for ratios, `{thing}` for counts, `x/s` for rates. One formatter serves
// the dashboard, annotation templates (`humanizeUnit`) and every notification payload, so a
// value reads the same wherever an alert shows it: 0.2513 s → "251 ms", 5.994e8 By → "599.4 MB",
// ratio 0.1963 → "19.6 %".
import type { MetricKind, Stat } from 'collector';

/**
 * Units of the metrics the shipped rules read, from the OpenTelemetry semantic conventions (and
 * the target's instrumentation, which follows them). Any other metric needs `unit:` in its rule.
 */
const metricUnits: Readonly<Record<string, string>> = {
  'http.server.request.duration': 's',
  'http.client.request.duration': 's',
  'db.client.operation.duration': 's',
  'db.client.connection.count': '{connection}',
  'db.client.connection.max': '{connection}',
  'process.memory.usage': 'By',
  'process.cpu.utilization': '1',
  'v8js.memory.heap.used': 'By',
  'v8js.memory.heap.limit': 'By',
  'nodejs.eventloop.delay.min': 's',
  'nodejs.eventloop.delay.max': 's',
  'nodejs.eventloop.delay.mean': 's',
  'nodejs.eventloop.delay.p50': 's',
  'nodejs.eventloop.delay.p90': 's',
  'nodejs.eventloop.delay.p99': 's',
  'nodejs.eventloop.utilization': '1',
};

/** The OTel unit of a metric the semantic conventions define, or undefined. */
export const metricUnit = (metric: string): string | undefined => metricUnits[metric];

/**
 * The unit of a statistic of a metric in `unit`: ratios are `1`, counts `{count}`, rates per
 * second; quantiles, averages, extremes, sums and last values keep the metric's unit.
 */
export function statUnit(stat: Stat, kind: MetricKind, unit: string | undefined): string | undefined {
  switch (stat) {
    case 'ratio':
      return '1';
    case 'count':
      return '{count}';
    case 'rate':
      // A histogram's rate counts observations; a sum's rate is its unit per second.
      return `${kind === 'histogram' || unit === undefined ? '{count}' : unit}/s`;
    default:
      return unit;
  }
}

const timeUnits: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  min: 60,
  h: 3600,
  d: 86_400,
};
const byteUnits: Readonly<Record<string, number>> = {
  By: 1,
  kBy: 1e3,
  MBy: 1e6,
  GBy: 1e9,
  TBy: 1e12,
  KiBy: 2 ** 10,
  MiBy: 2 ** 20,
  GiBy: 2 ** 30,
  TiBy: 2 ** 40,
};

/** Units formatValue reads (besides `{…}` counts and `…/s` rates of any of them). */
export const knownUnits: readonly string[] = [...Object.keys(timeUnits), ...Object.keys(byteUnits), '1', '%'];

/** Whether formatValue understands a unit: a time, bytes, `1`, `%`, a `{count}`, or a rate of one. */
export function isKnownUnit(unit: string): boolean {
  const base = unit.endsWith('/s') ? unit.slice(0, -2) : unit;
  return knownUnits.includes(base) || /^\{[^{}]+\}$/.test(base);
}

/**
 * A value as people read it in its unit, rounded to 3 significant digits (times, percentages)
 * or 4 (bytes, plain numbers); whole counts exactly. No unit (or an unknown one): a plain number.
 */
export function formatValue(value: number | null | undefined, unit: string | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'no data';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (unit?.endsWith('/s')) return `${formatValue(value, unit.slice(0, -2))}/s`;
  if (unit === '1') return `${significant(value * 100, 3)} %`;
  if (unit === '%') return `${significant(value, 3)} %`;
  const seconds = unit === undefined || unit === null ? undefined : timeUnits[unit];
  if (seconds !== undefined) return value === 0 ? `0 ${unit}` : formatSeconds(value * seconds);
  const bytes = unit === undefined || unit === null ? undefined : byteUnits[unit];
  if (bytes !== undefined) return formatBytes(value * bytes);
  return formatNumber(value);
}

/** Round to `digits` significant digits, without exponent or trailing zeros. */
function significant(v: number, digits: number): string {
  if (v === 0) return '0';
  const rounded = Number(v.toPrecision(digits));
  // Outside [1e-6, 1e21) JavaScript prints an exponent; such values are no longer "sensible" anyway.
  return Math.abs(rounded) < 1e-6 ? rounded.toExponential(digits - 1) : String(rounded);
}

function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  const sign = s < 0 ? '-' : '';
  // The scale is chosen after rounding, so 0.9996 s reads "1 s", not "1000 ms".
  for (const [symbol, size] of [
    ['ns', 1e-9],
    ['µs', 1e-6],
    ['ms', 1e-3],
  ] as const) {
    const n = Number((abs / size).toPrecision(3));
    if (n < 1000) return `${sign}${significant(n, 3)} ${symbol}`;
  }
  if (Number(abs.toPrecision(3)) < 60) return `${sign}${significant(abs, 3)} s`;
  // Minutes and longer as two parts, like Prometheus' humanizeDuration: "2m 5s", "1h 30m", "3d 4h".
  const total = Math.round(abs);
  const [d, h, m, sec] = [
    Math.floor(total / 86_400),
    Math.floor(total / 3600) % 24,
    Math.floor(total / 60) % 60,
    total % 60,
  ];
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m ${sec}s`;
}

/** Bytes with decimal (SI) prefixes, as the plan's targets are written: "599.4 MB". */
function formatBytes(b: number): string {
  const sign = b < 0 ? '-' : '';
  let n = Math.abs(b);
  for (const prefix of ['', 'k', 'M', 'G', 'T']) {
    const rounded = Number(n.toPrecision(4));
    if (rounded < 1000 || prefix === 'T') return `${sign}${significant(rounded, 4)} ${prefix}B`;
    n /= 1000;
  }
  return `${sign}${significant(n, 4)} PB`;
}

/** Whole numbers exactly (grouped) below a million; others to 4 significant digits, large ones with k/M/G. */
function formatNumber(v: number): string {
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs < 1e6) return v.toLocaleString('en-US');
  if (abs < 1e6) return significant(v, 4);
  let n = v;
  for (const prefix of ['', 'k', 'M', 'G', 'T', 'P']) {
    if (Math.abs(Number(n.toPrecision(4))) < 1000 || prefix === 'P') return `${significant(n, 4)}${prefix}`;
    n /= 1000;
  }
  return significant(n, 4);
}
