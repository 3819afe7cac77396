// A launch's input: a shipped plan by name or an inline definition (validated as a whole on the
// server), and what may change in it — repeats, warm-up runs, each run's duration and VUs, which
// variants run. Zod only: the router, the page and the CLI's server side share it.
import { z } from 'zod';

export const OPTIMISATIONS_RESOURCE = '/admin/optimisations';

export const experimentOverridesSchema = z.strictObject({
  repeats: z.number().int().min(2, 'must be at least 2').max(10, 'must be at most 10').optional(),
  warmupRuns: z.number().int().min(0).max(3, 'must be at most 3').optional(),
  /** k6 duration of each run, e.g. 20s or 2m (the role's ceiling applies). */
  duration: z
    .string()
    .regex(/^\d+(s|m|h)$/, 'must be a k6 duration such as 30s or 2m')
    .optional(),
  vus: z.number().int().min(1).max(50_000).optional(),
  variants: z.array(z.string().min(1).max(63)).min(2, 'keep at least two variants').max(20).optional(),
});
export type ExperimentOverrides = z.output<typeof experimentOverridesSchema>;

export const experimentLaunchSchema = z.strictObject({
  /** A shipped plan's name; the first shipped plan when neither this nor `definition` is given. */
  plan: z.string().min(1).max(63).optional(),
  /** A whole definition (the plan file's fields); checked by load-tests' own schema on the server. */
  definition: z.record(z.string(), z.unknown()).optional(),
  overrides: experimentOverridesSchema.default({}),
});
export type ExperimentLaunchInput = z.output<typeof experimentLaunchSchema>;
