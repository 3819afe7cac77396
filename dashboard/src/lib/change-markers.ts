// Change markers (issue 23): the target's setting changes — chaos from the Chaos page, switches an
// experiment makes — as one line each on the charts, read from the audit rows that record them.
// Pure: the server builds the markers, the charts draw them.
import type { AuditAction } from './audit-actions.ts';

/** One setting change, drawn as a vertical line at `at` on the charts covering it. */
export interface ChangeMarker {
  at: number;
  kind: 'chaos' | 'optimisation';
  label: string;
}

/** A chart keeps the newest this many: more lines than that read as noise. */
export const MAX_CHANGE_MARKERS = 20;

export const MARKER_COLORS: Record<ChangeMarker['kind'], string> = {
  chaos: '#7c3aed',
  optimisation: '#0891b2',
};

/** The label drawn beside a line; the full one is its tooltip. */
export const SHORT_LABEL_CHARS = 22;

/** The audit action of one switch an experiment made on the target (details: SwitchDetails). */
export const SWITCH_ACTION = 'experiment.switch' satisfies AuditAction;
export const CHAOS_RESOURCE = '/admin/chaos';

/** What an `experiment.switch` audit row holds: the settings that changed, from → to. */
export interface SwitchDetails {
  experimentId: string;
  resource: string;
  /** The variant switched to; null when the target is put back at the end. */
  variant: string | null;
  changed: Record<string, { from: unknown; to: unknown }>;
}

type Row = { at: number; action: string; details: Record<string, unknown> };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/** The chaos the target is left with, e.g. "chaos: +400 ms, 5% errors on /api/cars, cache off". */
export function chaosLabel(next: unknown): string {
  if (!isObject(next)) return 'chaos: changed';
  const scoped: string[] = [];
  if (num(next.latencyMs) > 0) scoped.push(`+${num(next.latencyMs)} ms`);
  if (num(next.jitterMs) > 0) scoped.push(`±${num(next.jitterMs)} ms jitter`);
  if (num(next.errorRate) > 0) scoped.push(`${percent(num(next.errorRate))} errors`);
  const routes = Array.isArray(next.routes) ? next.routes.filter((r) => typeof r === 'string') : [];
  const parts =
    scoped.length > 0 ? [`${scoped.join(', ')}${routes.length ? ` on ${routes.join(', ')}` : ''}`] : [];
  if (next.cacheEnabled === false) parts.push('cache off');
  if (num(next.slowQueryMs) > 0) {
    const rate = typeof next.slowQueryRate === 'number' && next.slowQueryRate < 1 ? next.slowQueryRate : 1;
    parts.push(`slow queries +${num(next.slowQueryMs)} ms${rate < 1 ? ` (${percent(rate)})` : ''}`);
  }
  if (num(next.memoryLeakMbPerSec) > 0) parts.push(`leak ${num(next.memoryLeakMbPerSec)} MB/s`);
  if (num(next.cpuBurn) > 0) parts.push(`CPU burn ${percent(num(next.cpuBurn))}`);
  if (typeof next.poolMax === 'number') parts.push(`pool ${next.poolMax}`);
  return `chaos: ${parts.length > 0 ? parts.join(', ') : 'off'}`;
}

const settingValue = (v: unknown) =>
  v === true ? 'on' : v === false ? 'off' : typeof v === 'string' ? v : JSON.stringify(v);

/** The switches an experiment made, e.g. "responseCache off, poolSize 20" ("(reset)" when put back). */
export function switchLabel(details: SwitchDetails): string {
  const text = Object.entries(details.changed)
    .map(([key, { to }]) => `${key} ${settingValue(to)}`)
    .join(', ');
  const prefix = details.resource === CHAOS_RESOURCE ? 'chaos: ' : '';
  return `${prefix}${text}${details.variant === null ? ' (reset)' : ''}`;
}

/** The marker of a `chaos.change` or `experiment.switch` audit row; null for any other row. */
export function markerOfAuditRow(row: Row): ChangeMarker | null {
  if (row.action === 'chaos.change')
    return { at: row.at, kind: 'chaos', label: chaosLabel(row.details.next) };
  if (row.action !== SWITCH_ACTION || !isObject(row.details.changed)) return null;
  const details = row.details as unknown as SwitchDetails;
  return {
    at: row.at,
    kind: details.resource === CHAOS_RESOURCE ? 'chaos' : 'optimisation',
    label: switchLabel(details),
  };
}

/** The keys whose values differ between two settings objects, with both values. */
export function changedSettings(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): SwitchDetails['changed'] {
  const changed: SwitchDetails['changed'] = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changed[key] = { from: before[key] ?? null, to: after[key] ?? null };
  return changed;
}

/** The newest `limit` markers, oldest first. */
export function newestMarkers(markers: readonly ChangeMarker[], limit = MAX_CHANGE_MARKERS): ChangeMarker[] {
  return [...markers].sort((a, b) => a.at - b.at).slice(-limit);
}

/** Past 60 % of the window a label goes left of its line, so it stays inside the chart. */
export function labelsLeft(at: number, domain: readonly [number, number]): boolean {
  return at - domain[0] > 0.6 * (domain[1] - domain[0]);
}

export function shortLabel(label: string, max = SHORT_LABEL_CHARS): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
