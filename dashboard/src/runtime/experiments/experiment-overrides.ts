// A plan with a launch's overrides applied (bounds: lib/experiment-input.ts): repeats, warm-up runs,
// each run's duration and VUs, and which variants run — the optimisations and comparison that need
// a dropped variant go with it. The result is validated again as a whole definition.
import { type ExperimentDefinition, ExperimentDefinitionError, parseExperimentDefinition } from 'load-tests';
import type { ExperimentOverrides } from '../../lib/experiment-input.ts';

export function applyOverrides(def: ExperimentDefinition, o: ExperimentOverrides): ExperimentDefinition {
  const keep = o.variants ? new Set(o.variants) : null;
  const unknown = o.variants?.filter((v) => !def.variants.some((d) => d.name === v)) ?? [];
  if (unknown.length > 0)
    throw new ExperimentDefinitionError('overrides', [
      { field: 'variants', message: `no variant ${unknown.map((v) => `"${v}"`).join(', ')} in ${def.name}` },
    ]);
  const kept = (name: string) => !keep || keep.has(name);
  const params: Record<string, unknown> = { ...def.params };
  if (o.duration) params.duration = o.duration;
  if (o.vus !== undefined) {
    params.vus = o.vus;
    delete params.scale;
  }
  const comparison =
    def.comparison && kept(def.comparison.before) && kept(def.comparison.after) ? def.comparison : undefined;
  return parseExperimentDefinition(
    {
      ...def,
      params,
      ...(o.repeats !== undefined ? { repeats: o.repeats } : {}),
      ...(o.warmupRuns !== undefined ? { warmupRuns: o.warmupRuns } : {}),
      variants: def.variants.filter((v) => kept(v.name)),
      optimisations: def.optimisations.filter((x) => kept(x.with) && kept(x.without)),
      ...(comparison ? { comparison } : { comparison: undefined }),
    },
    'overrides',
  );
}
