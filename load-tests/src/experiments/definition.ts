// An experiment's definition — one scenario and load shape, the variants (target settings switched
// through the admin API before each run), the optimisations whose effect is measured (with vs
// without, the rest equal) and the plan's claims — validated with zod, from YAML or from an object.
// No Node imports: the dashboard can validate a definition in its bundle.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { hasErrorBrand } from '../error-brand.ts';
import { getScenario, isParamValidationError, parseScenarioParams } from '../scenarios.ts';
import {
  KPI_IDS,
  KPIS,
  type KpiId,
  OPTIMISATIONS_RESOURCE,
  optimisationSettingsSchema,
  type Settings,
} from './settings.ts';

const kpiSchema = z.enum(KPI_IDS as [KpiId, ...KpiId[]], {
  error: `must be one of ${KPI_IDS.join(', ')}`,
});
const nameSchema = z
  .string({ error: 'must be a name such as after-plan' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');
const textSchema = z.string().min(1, 'must not be empty').max(300, 'must be at most 300 characters');

/**
 * The plan's claim for an optimisation. `change`: the KPI improves by `improvementPct` % with it
 * (a reduction for latency); `level`: with it the KPI reaches `value` (e.g. a 0.9 hit rate);
 * `direction`: it improves the KPI, no size claimed ("improve stability").
 */
export const claimSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('change'),
      kpi: kpiSchema,
      improvementPct: z.number().gt(0, 'must be above 0').max(100, 'must be at most 100'),
      text: textSchema,
    }),
    z.strictObject({ kind: z.literal('level'), kpi: kpiSchema, value: z.number(), text: textSchema }),
    z.strictObject({ kind: z.literal('direction'), kpi: kpiSchema, text: textSchema }),
  ],
  { error: 'must be a claim of kind change, level or direction' },
);
export type Claim = z.output<typeof claimSchema>;

const settingsSchema = z.record(z.string(), z.json(), { error: 'must be a map of setting → value' });

const variantSchema = z.strictObject({
  name: nameSchema,
  description: textSchema.optional(),
  settings: settingsSchema,
});

const optimisationSchema = z.strictObject({
  name: textSchema,
  /** The settings keys that make the optimisation (with and without differ in these only). */
  settings: z.array(z.string().min(1)).min(1, 'must name at least one setting'),
  with: nameSchema,
  without: nameSchema,
  claim: claimSchema.optional(),
});

export const experimentDefinitionSchema = z
  .strictObject({
    name: nameSchema,
    description: textSchema.optional(),
    scenario: z.string({ error: 'is required (a scenario name such as load)' }),
    /** The scenario's parameters except the target (given when the experiment runs). */
    params: z.record(z.string(), z.unknown()).default({}),
    repeats: z
      .number()
      .int('must be a whole number')
      .min(2, 'must be at least 2 (an interval needs two runs; the plan wants 3)')
      .max(20, 'must be at most 20')
      .default(3),
    /** Seeds the order of each round, so a rerun has the same order. */
    seed: z.number().int('must be a whole number').default(1),
    /**
     * Runs before the first round, with the first slot's variant, not counted: a freshly started
     * target (JIT, empty caches, cold database pages) would otherwise handicap whichever runs first.
     */
    warmupRuns: z.number().int('must be a whole number').min(0).max(3, 'must be at most 3').default(0),
    /** The admin resource the variants' settings go to (PUT, read back with GET). */
    settingsResource: z
      .string()
      .regex(/^\/admin\/[a-z][a-z0-9-]*$/, 'must be an admin path such as /admin/optimisations')
      .default(OPTIMISATIONS_RESOURCE),
    variants: z.array(variantSchema).min(2, 'must list at least two variants').max(20, 'must be at most 20'),
    optimisations: z.array(optimisationSchema).default([]),
    /** The overall scores the plan claims before and after (its 47 → 95). */
    comparison: z
      .strictObject({
        before: nameSchema,
        after: nameSchema,
        claimedBefore: z.number().min(0).max(100),
        claimedAfter: z.number().min(0).max(100),
      })
      .optional(),
  })
  .superRefine((def, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if ('target' in def.params)
      issue(['params', 'target'], 'is not part of the file: the target is given when it runs');
    else if (!getScenario(def.scenario)) issue(['scenario'], `unknown scenario "${def.scenario}"`);
    else {
      const probe = 'http://127.0.0.1:1';
      try {
        parseScenarioParams(def.scenario, { ...def.params, target: probe }, [probe]);
      } catch (error) {
        if (!isParamValidationError(error)) throw error;
        for (const i of error.issues) issue(['params', i.field], i.message);
      }
    }
    const variants = new Map<string, Settings>();
    def.variants.forEach((v, i) => {
      if (variants.has(v.name)) issue(['variants', i, 'name'], `"${v.name}" is listed twice`);
      variants.set(v.name, v.settings as Settings);
      if (def.settingsResource !== OPTIMISATIONS_RESOURCE) return;
      const parsed = optimisationSettingsSchema.safeParse(v.settings);
      if (!parsed.success)
        for (const p of parsed.error.issues) {
          const key = p.code === 'unrecognized_keys' ? p.keys.join(', ') : p.path.join('.');
          const message = p.code === 'unrecognized_keys' ? 'is not an optimisation setting' : p.message;
          issue(['variants', i, 'settings', key], message);
        }
    });
    def.optimisations.forEach((o, i) => {
      const withSettings = variants.get(o.with);
      const withoutSettings = variants.get(o.without);
      if (!withSettings) issue(['optimisations', i, 'with'], `no variant "${o.with}"`);
      if (!withoutSettings) issue(['optimisations', i, 'without'], `no variant "${o.without}"`);
      if (o.claim?.kind === 'change' && KPIS[o.claim.kpi].effect !== 'relative')
        issue(
          ['optimisations', i, 'claim', 'kpi'],
          `${o.claim.kpi} is a share: claim a level, not a % change`,
        );
      if (!withSettings || !withoutSettings) return;
      const differ = differingKeys(withSettings, withoutSettings);
      const others = differ.filter((k) => !o.settings.includes(k));
      if (others.length > 0)
        issue(
          ['optimisations', i],
          `"${o.with}" and "${o.without}" also differ in ${others.join(', ')}: the rest must be equal`,
        );
      else if (differ.length === 0)
        issue(
          ['optimisations', i],
          `"${o.with}" and "${o.without}" do not differ in ${o.settings.join(', ')}`,
        );
    });
    if (def.comparison)
      for (const side of ['before', 'after'] as const)
        if (!variants.has(def.comparison[side]))
          issue(['comparison', side], `no variant "${def.comparison[side]}"`);
  });

export type ExperimentDefinition = z.output<typeof experimentDefinitionSchema>;
export type VariantDefinition = ExperimentDefinition['variants'][number];
export type OptimisationDefinition = ExperimentDefinition['optimisations'][number];

/** Keys whose values differ between two settings objects (a key left out differs from any value). */
export function differingKeys(a: Settings, b: Settings): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

const EXPERIMENT_DEFINITION: unique symbol = Symbol.for('load-tests.ExperimentDefinitionError');

/** A definition refused: one line, `<source>: <field>: <message>` per problem, joined by '; '. */
export class ExperimentDefinitionError extends Error {
  readonly [EXPERIMENT_DEFINITION] = true;
  readonly source: string;
  readonly issues: readonly { field: string; message: string }[];
  constructor(source: string, issues: readonly { field: string; message: string }[]) {
    super(`${source}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'ExperimentDefinitionError';
    this.source = source;
    this.issues = issues;
  }
}

export const isExperimentDefinitionError = (error: unknown): error is ExperimentDefinitionError =>
  hasErrorBrand(error, EXPERIMENT_DEFINITION);

/** Validates a definition object; `source` names it in errors (a file path, "request"). */
export function parseExperimentDefinition(input: unknown, source = 'experiment'): ExperimentDefinition {
  const parsed = experimentDefinitionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ExperimentDefinitionError(
    source,
    parsed.error.issues.map((i) => ({
      field:
        i.code === 'unrecognized_keys'
          ? [...i.path, i.keys.join(', ')].join('.')
          : i.path.length > 0
            ? i.path.join('.')
            : '(top level)',
      message: i.code === 'unrecognized_keys' ? 'is not a known field' : i.message,
    })),
  );
}

/** Parses YAML (merge keys `<<:` allowed, so variants can share a block) and validates it. */
export function parseExperimentYaml(text: string, source = 'experiment'): ExperimentDefinition {
  let data: unknown;
  try {
    data = parseYaml(text, { merge: true, prettyErrors: false });
  } catch (error) {
    const line = String((error as Error).message).split('\n')[0];
    throw new ExperimentDefinitionError(source, [{ field: 'YAML', message: line ?? 'cannot be parsed' }]);
  }
  return parseExperimentDefinition(data, source);
}
