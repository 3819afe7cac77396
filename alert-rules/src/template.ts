// A small renderer for the Prometheus annotation templates rules use: {{ $labels.name }},
// {{ $value }}, piped through humanize, humanizeDuration or humanizePercentage, or through
// humanizeUnit: the value in the rule's own unit, as the dashboard and notifications show it.
// A template it cannot render comes back as its raw text with the reason, never as an exception.
import { formatValue } from './units.ts';

export interface TemplateData {
  labels: Record<string, string>;
  /** The evaluated value; null when there was no data. */
  value: number | null;
  /** The rule's unit (OTel/UCUM), for humanizeUnit; undefined: a plain number. */
  unit?: string | null | undefined;
}

export interface Rendered {
  text: string;
  error?: string | undefined;
}

type Piece =
  | { type: 'text'; text: string }
  | { type: 'action'; source: string; head: Head; funcs: FuncName[] };
type Head = { type: 'value' } | { type: 'label'; name: string };
type FuncName = keyof typeof funcs;

const noData = 'no data';

const funcs = {
  humanize: (v: number) => humanize(v),
  humanizeDuration: (v: number) => humanizeDuration(v),
  humanizePercentage: (v: number) => `${formatG(v * 100)}%`,
  humanizeUnit: (v: number, data: TemplateData) => formatValue(v, data.unit),
} satisfies Record<string, (v: number, data: TemplateData) => string>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

function parse(template: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      pieces.push({ type: 'text', text: template.slice(at) });
      break;
    }
    if (open > at) pieces.push({ type: 'text', text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed "{{" at character ${open + 1}`);
    const source = template.slice(open + 2, close);
    const [headText = '', ...pipes] = source.split('|').map((s) => s.trim());
    pieces.push({ type: 'action', source, head: parseHead(headText), funcs: pipes.map(parseFunc) });
    at = close + 2;
  }
  return pieces;
}

function parseHead(text: string): Head {
  if (text === '$value' || text === '.Value') return { type: 'value' };
  const label = /^(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  if (label) return { type: 'label', name: label[1]! };
  throw new TemplateError(`unknown expression "${text}" (use $value or $labels.<name>)`);
}

function parseFunc(text: string): FuncName {
  if (Object.hasOwn(funcs, text)) return text as FuncName;
  throw new TemplateError(`unknown function "${text}" (known: ${Object.keys(funcs).join(', ')})`);
}

/** The reason a template cannot be rendered, or null when it is fine. */
export function checkTemplate(template: string): string | null {
  try {
    parse(template);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function renderTemplate(template: string, data: TemplateData): Rendered {
  try {
    return {
      text: parse(template)
        .map((piece) => renderPiece(piece, data))
        .join(''),
    };
  } catch (error) {
    return { text: template, error: (error as Error).message };
  }
}

function renderPiece(piece: Piece, data: TemplateData): string {
  if (piece.type === 'text') return piece.text;
  let current: string | number | null =
    piece.head.type === 'value' ? data.value : (data.labels[piece.head.name] ?? '');
  for (const name of piece.funcs) {
    if (current === null) return noData;
    const n = typeof current === 'number' ? current : Number(current);
    if (current === '' || Number.isNaN(n))
      throw new TemplateError(`${name} needs a number, got "${current}"`);
    current = funcs[name](n, data);
  }
  if (current === null) return noData;
  return String(current);
}

/** Go's %.4g: four significant digits, exponent form outside [1e-4, 1e4). */
export function formatG(v: number, precision = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantissa = '', exponentText = '0'] = v.toExponential(precision - 1).split('e');
  const exponent = Number(exponentText);
  const strip = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exponent < -4 || exponent >= precision) {
    const sign = exponent < 0 ? '-' : '+';
    return `${strip(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return strip(v.toFixed(Math.max(0, precision - 1 - exponent)));
}

/** Prometheus' humanize: SI prefixes, 4 significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatG(v);
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${formatG(v)}${prefix}`;
  }
  return `${scaleDown(v)}`;
}

/** Prometheus' humanizeDuration: seconds as "1d 2h 3m 4s", "1.5s" or "250ms". */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatG(v);
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(v));
    const seconds = total % 60;
    const minutes = Math.trunc(total / 60) % 60;
    const hours = Math.trunc(total / 3600) % 24;
    const days = Math.trunc(total / 86_400);
    if (days) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(Math.abs(v))}s`;
  }
  return `${scaleDown(v)}s`;
}

function scaleDown(v: number): string {
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG(v)}${prefix}`;
}
