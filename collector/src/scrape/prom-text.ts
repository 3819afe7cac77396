// Parser of the Prometheus text exposition format 0.0.4 (what prom-client and most exporters
// serve on /metrics). Hand-written: the npm parsers for it are unmaintained. Strict where a
// mistake would store wrong numbers (bad values, duplicate labels, TYPE after samples), and every
// error names its line, so a broken target shows up as up=0 with a reason instead of bad data.

export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** The sample's own name (with _bucket/_sum/_count for histograms and summaries). */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number | undefined;
}

export interface PromFamily {
  name: string;
  type: PromType;
  help: string;
  samples: PromSample[];
}

export class PromParseError extends Error {
  override name = 'PromParseError';
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const types = new Set<PromType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

const suffixes: Record<PromType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export interface ParseLimits {
  /** Samples beyond this fail the whole exposition (Prometheus' sample_limit). */
  maxSamples?: number;
  maxLabels?: number;
}

export function parsePromText(text: string, limits: ParseLimits = {}): PromFamily[] {
  const maxSamples = limits.maxSamples ?? 100_000;
  const maxLabels = limits.maxLabels ?? 64;
  const families = new Map<string, PromFamily>();
  /** Sample name → its family, for names TYPE declared (name plus the type's suffixes). */
  const owners = new Map<string, PromFamily>();
  const typed = new Set<string>();
  let samples = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const fail = (why: string): never => {
      throw new PromParseError(`line ${i + 1}: ${why}: ${JSON.stringify(line.slice(0, 120))}`);
    };
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
      if (!m) continue; // any other comment
      const [, keyword, name, rest = ''] = m as unknown as [string, string, string, string | undefined];
      if (!metricName.test(name) || metricName.exec(name)![0] !== name) fail('invalid metric name');
      const family = familyOf(families, name);
      if (keyword === 'HELP') family.help = unescapeHelp(rest);
      else {
        const type = rest.trim() as PromType;
        if (!types.has(type)) fail(`unknown type "${rest.trim()}"`);
        if (family.samples.length > 0 || typed.has(name))
          fail(`TYPE of ${name} given twice or after its samples`);
        typed.add(name);
        family.type = type;
        for (const s of suffixes[type]) owners.set(name + s, family);
      }
      continue;
    }
    const sample = parseSample(trimmed, maxLabels, fail);
    if (++samples > maxSamples) fail(`more than ${maxSamples} samples`);
    const family = owners.get(sample.name) ?? familyOf(families, sample.name);
    family.samples.push(sample);
  }
  return [...families.values()].filter((f) => f.samples.length > 0);
}

function familyOf(families: Map<string, PromFamily>, name: string): PromFamily {
  let family = families.get(name);
  if (!family) {
    family = { name, type: 'untyped', help: '', samples: [] };
    families.set(name, family);
  }
  return family;
}

function parseSample(line: string, maxLabels: number, fail: (why: string) => never): PromSample {
  const nameMatch = metricName.exec(line);
  if (!nameMatch) fail('expected a metric name');
  const name = nameMatch![0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    let count = 0;
    for (;;) {
      pos = skipSpaces(line, pos);
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelMatch = labelName.exec(line.slice(pos));
      if (!labelMatch) fail('expected a label name');
      const label = labelMatch![0];
      pos = skipSpaces(line, pos + label.length);
      if (line[pos] !== '=') fail(`expected = after label ${label}`);
      pos = skipSpaces(line, pos + 1);
      if (line[pos] !== '"') fail(`expected a quoted value for label ${label}`);
      const [value, end] = quoted(line, pos + 1, fail);
      if (Object.hasOwn(labels, label)) fail(`label ${label} given twice`);
      if (++count > maxLabels) fail(`more than ${maxLabels} labels`);
      labels[label] = value;
      pos = skipSpaces(line, end);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected , or } in the label set');
    }
  }
  const rest = line.slice(pos);
  if (rest !== '' && !/^[ \t]/.test(rest)) fail('expected a space before the value');
  const fields = rest.trim().split(/[ \t]+/);
  if (fields.length < 1 || fields[0] === '' || fields.length > 2)
    fail('expected a value and an optional timestamp');
  const value = parseValue(fields[0]!);
  if (value === undefined) fail(`invalid value "${fields[0]}"`);
  let timestampMs: number | undefined;
  if (fields[1] !== undefined) {
    if (!/^-?\d{1,16}$/.test(fields[1])) fail(`invalid timestamp "${fields[1]}"`);
    timestampMs = Number(fields[1]);
  }
  return { name, labels, value: value!, timestampMs };
}

function skipSpaces(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

/** A label value from after its opening quote; returns the value and the index after the closing quote. */
function quoted(line: string, start: number, fail: (why: string) => never): [string, number] {
  let out = '';
  for (let pos = start; pos < line.length; pos++) {
    const c = line[pos];
    if (c === '"') return [out, pos + 1];
    if (c === '\\') {
      const next = line[++pos];
      if (next === 'n') out += '\n';
      else if (next === '\\' || next === '"') out += next;
      else fail('invalid escape in a label value');
    } else out += c;
  }
  return fail('unterminated label value');
}

function parseValue(text: string): number | undefined {
  switch (text.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
  }
  // Go's ParseFloat syntax: decimal or exponent notation (no hex, no empty string, no "0x").
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}
