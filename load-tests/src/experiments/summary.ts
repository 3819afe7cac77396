// An experiment's result from its runs: per variant each KPI's mean and 95 % interval across the
// repeats (and the scores', when the runs were scored), per optimisation its measured effect next
// to the plan's claim with a verdict, and the before/after overall scores next to the plan's.
// Only finished runs count. Pure: the same runs give the same result.
import type { Claim, ExperimentDefinition } from './definition.ts';
import {
  type Effect,
  effectOf,
  type MeanInterval,
  meanInterval,
  type Verdict,
  verdictOf,
} from './effects.ts';
import type { ExperimentRun } from './model.ts';
import { KPI_IDS, type KpiId } from './settings.ts';

export const EFFECT_METHOD =
  'relative KPIs: ratio of means with/without, 95 % delta-method interval on the log scale, Welch–Satterthwaite df; shares: difference of means, Welch 95 % interval';

export type VariantResult = {
  name: string;
  runIds: string[];
  /** Finished runs counted. */
  runs: number;
  kpis: Record<KpiId, MeanInterval | null>;
  /** Null when no run was scored. */
  overall: MeanInterval | null;
  categories: Record<string, MeanInterval | null>;
};

export type OptimisationResult = {
  name: string;
  settings: string[];
  with: string;
  without: string;
  kpi: KpiId;
  claim: Claim | null;
  withIt: MeanInterval | null;
  withoutIt: MeanInterval | null;
  effect: Effect | null;
  verdict: Verdict;
};

export type ScoreComparison = {
  before: { variant: string; overall: MeanInterval | null; claimed: number };
  after: { variant: string; overall: MeanInterval | null; claimed: number };
};

export type ExperimentResult = {
  variants: VariantResult[];
  optimisations: OptimisationResult[];
  comparison: ScoreComparison | null;
  method: string;
};

function variantResult(name: string, runs: readonly ExperimentRun[]): VariantResult {
  const counted = runs.filter((r) => r.variant === name && r.state === 'finished');
  const kpis = Object.fromEntries(
    KPI_IDS.map((id) => [id, meanInterval(counted.map((r) => r.kpis[id]))]),
  ) as Record<KpiId, MeanInterval | null>;
  const scored = counted.flatMap((r) => (r.scores ? [r.scores] : []));
  const categoryIds = [...new Set(scored.flatMap((s) => Object.keys(s.categories)))].sort();
  return {
    name,
    runIds: counted.map((r) => r.runId),
    runs: counted.length,
    kpis,
    overall: meanInterval(scored.map((s) => s.overall)),
    categories: Object.fromEntries(
      categoryIds.map((c) => [c, meanInterval(scored.map((s) => s.categories[c]))]),
    ),
  };
}

export function summariseExperiment(
  def: ExperimentDefinition,
  runs: readonly ExperimentRun[],
): ExperimentResult {
  const variants = def.variants.map((v) => variantResult(v.name, runs));
  const byName = new Map(variants.map((v) => [v.name, v]));
  const optimisations = def.optimisations.map((o): OptimisationResult => {
    const kpi = o.claim?.kpi ?? 'p95Ms';
    const withIt = byName.get(o.with)?.kpis[kpi] ?? null;
    const without = byName.get(o.without)?.kpis[kpi] ?? null;
    const effect = effectOf(kpi, withIt, without);
    return {
      name: o.name,
      settings: o.settings,
      with: o.with,
      without: o.without,
      kpi,
      claim: o.claim ?? null,
      withIt,
      withoutIt: without,
      effect,
      verdict: verdictOf(effect, o.claim, withIt),
    };
  });
  const c = def.comparison;
  const comparison: ScoreComparison | null = c
    ? {
        before: {
          variant: c.before,
          overall: byName.get(c.before)?.overall ?? null,
          claimed: c.claimedBefore,
        },
        after: { variant: c.after, overall: byName.get(c.after)?.overall ?? null, claimed: c.claimedAfter },
      }
    : null;
  return { variants, optimisations, comparison, method: EFFECT_METHOD };
}
