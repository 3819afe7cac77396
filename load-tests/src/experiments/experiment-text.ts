// How the CLI prints an experiment: a progress line per run event, and the final tables — each
// variant's KPIs (mean ± half-width of the 95 % interval over its repeats), each optimisation's
// measured effect next to the plan's claim with the verdict, and the overall scores next to the plan's.
import type { MeanInterval } from './effects.ts';
import type { Experiment, ExperimentEvent } from './model.ts';
import { KPIS, type KpiId } from './settings.ts';
import type { OptimisationResult } from './summary.ts';

const TABLE_KPIS: KpiId[] = [
  'p95Ms',
  'p99Ms',
  'errorRate',
  'reqRate',
  'searchP95Ms',
  'authP95Ms',
  'loginP95Ms',
  'registerP95Ms',
  'recommendationsP95Ms',
  'cacheHitRate',
];

const HEADINGS: Record<KpiId, string> = {
  p95Ms: 'p95',
  p99Ms: 'p99',
  errorRate: 'errors',
  reqRate: 'req/s',
  searchP95Ms: 'search',
  authP95Ms: 'auth',
  loginP95Ms: 'login',
  registerP95Ms: 'register',
  detailsP95Ms: 'details',
  recommendationsP95Ms: 'recs',
  cacheHitRate: 'hit',
};

const fixed = (n: number, unit: string) =>
  unit === 'share' ? `${(n * 100).toFixed(1)}%` : n >= 100 ? n.toFixed(0) : n.toFixed(1);

/** "123 ±8" (mean ± half of the 95 % interval); "45" for one run; "-" without data. */
export function intervalText(i: MeanInterval | null, unit = ''): string {
  if (!i) return '-';
  if (i.high === null) return fixed(i.mean, unit);
  return `${fixed(i.mean, unit)} ±${fixed(i.high - i.mean, unit)}`;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)} %`;

export function progressText(event: ExperimentEvent): string | undefined {
  switch (event.type) {
    case 'started':
      return `experiment ${event.experimentId}: ${event.order.length} runs, order ${event.order.map((s) => s.variant).join(' ')}`;
    case 'waiting':
      return `waiting for ${event.runIds.join(', ')} to end before switching the target`;
    case 'switched':
      if (event.warmup) return `[warm-up] ${event.slot.variant}: target switched`;
      return `[${event.slot.index + 1}/${event.total}] ${event.slot.variant} (repeat ${event.slot.round}): target switched`;
    case 'run':
      return event.warmup
        ? `[warm-up] ${event.slot.variant}: run ${event.runId} ${event.state} (not counted)`
        : `[${event.slot.index + 1}/${event.total}] ${event.slot.variant} (repeat ${event.slot.round}): run ${event.runId} ${event.state}`;
    case 'reset':
      return 'target settings put back to what they were at the start';
    case 'reset-failed':
      return `WARNING: ${event.error}`;
    case 'ended':
      return undefined;
    default:
      return event satisfies never;
  }
}

function effectText(o: OptimisationResult): string {
  const unit = KPIS[o.kpi].unit;
  const e = o.effect;
  const measured = !e
    ? 'no data'
    : e.kind === 'relative'
      ? `${pct(e.change)} [${pct(e.changeLow)}, ${pct(e.changeHigh)}]`
      : `${fixed(e.change, unit)} [${fixed(e.changeLow, unit)}, ${fixed(e.changeHigh, unit)}]`;
  const claim = o.claim ? `claim: ${o.claim.text}` : 'no claim';
  return `  ${o.name}: ${KPIS[o.kpi].name} ${intervalText(o.withoutIt, unit)} → ${intervalText(o.withIt, unit)}, ${measured} — ${claim} → ${o.verdict.toUpperCase()}`;
}

export function experimentText(x: Experiment): string {
  const lines = [
    `experiment ${x.id} (${x.definition.name}): ${x.state}${x.reason ? ` (${x.reason})` : ''}, ${x.runs.length} of ${x.order.length} runs`,
  ];
  const r = x.result;
  if (!r) return lines.join('\n');
  lines.push(
    `variants (mean ±95 % interval over repeats; ms unless marked): ${TABLE_KPIS.map((k) => HEADINGS[k]).join(' | ')}`,
  );
  for (const v of r.variants)
    lines.push(
      `  ${v.name} (${v.runs} runs): ${TABLE_KPIS.map((k) => intervalText(v.kpis[k], KPIS[k].unit)).join(' | ')}${v.overall ? ` | score ${intervalText(v.overall)}` : ''}`,
    );
  if (r.optimisations.length > 0) {
    lines.push('optimisations (without → with; change with its 95 % interval):');
    for (const o of r.optimisations) lines.push(effectText(o));
  }
  if (r.comparison) {
    const { before, after } = r.comparison;
    const scored = before.overall || after.overall;
    lines.push(
      scored
        ? `overall score: ${before.variant} ${intervalText(before.overall)} (plan: ${before.claimed}), ${after.variant} ${intervalText(after.overall)} (plan: ${after.claimed})`
        : `overall score: not computed here (the dashboard scores each run's window); plan: ${before.claimed} → ${after.claimed}`,
    );
  }
  lines.push(`method: ${r.method}`);
  return lines.join('\n');
}
