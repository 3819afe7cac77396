// Percentiles read from histogram buckets are estimates; their error bound is the bucket the
// estimate lies in. How that bound travels (in the figure's unit, JSON-safe) and how it reads.
import type { QuantileBounds } from 'collector/query';
import { formatMs } from './format.ts';

/** [lower, upper] in the figure's unit; upper null when the bucket is open above (overflow, no max recorded). */
export type ValueRange = [lower: number, upper: number | null];
/** A ValueRange in ms. */
export type RangeMs = ValueRange;

/** The bounds times `scale` (seconds → ms: 1000); Infinity (which JSON would turn into null anyway) becomes null. */
export function scaledRange(bounds: QuantileBounds | null | undefined, scale: number): ValueRange | null {
  if (!bounds) return null;
  return [bounds.lower * scale, Number.isFinite(bounds.upper) ? bounds.upper * scale : null];
}

/** Seconds' bounds as ms. */
export const rangeMsOf = (bounds: QuantileBounds | null): RangeMs | null => scaledRange(bounds, 1000);

/** The hover text of an estimated figure: "estimated from histogram buckets: between 100 ms and 250 ms". */
export function estimateTitle(
  range: ValueRange | null | undefined,
  format: (value: number) => string = formatMs,
): string | undefined {
  if (!range) return undefined;
  const [lower, upper] = range;
  const prefix = 'estimated from histogram buckets';
  if (upper === null) return `${prefix}: above ${format(lower)}`;
  if (upper === lower) return `${prefix}: ${format(lower)}`;
  return `${prefix}: between ${format(lower)} and ${format(upper)}`;
}

/**
 * The bound as a short phrase beside its figure: "within 400–425 ms", "above 500 ms"; null when
 * there is none to state (no range, or one that pins the value: every observation alike).
 */
export function formatBound(
  range: ValueRange | null | undefined,
  format: (value: number) => string = formatMs,
): string | null {
  if (!range || range[0] === range[1]) return null;
  const [lower, upper] = range;
  if (upper === null) return `above ${format(lower)}`;
  const low = format(lower);
  const high = format(upper);
  // "400 ms–425 ms" reads as "400–425 ms" when both ends share a unit.
  const unit = (text: string) => text.slice(text.lastIndexOf(' '));
  const shared = low.includes(' ') && unit(low) === unit(high);
  return `within ${shared ? low.slice(0, -unit(low).length) : low}–${high}`;
}

/** A figure with its bound, for tooltips: "412 ms (within 400–425 ms)". */
export function withBound(
  value: number,
  range: ValueRange | null | undefined,
  format: (value: number) => string = formatMs,
): string {
  const bound = formatBound(range, format);
  return bound ? `${format(value)} (${bound})` : format(value);
}

/** A row's field as a ValueRange, if it holds one (chart rows carry them untyped). */
export function rangeIn(row: unknown, key: string | undefined): ValueRange | null {
  if (key === undefined || typeof row !== 'object' || row === null) return null;
  const value = (row as Record<string, unknown>)[key];
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number') return null;
  return typeof value[1] === 'number' || value[1] === null ? [value[0], value[1]] : null;
}
