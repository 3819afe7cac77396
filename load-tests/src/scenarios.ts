// The catalogue of k6 scenarios the launcher may start, and validation of their parameters.
// The target must be on the configured allowlist: a load tool that can be pointed anywhere is an attack tool.
import { z } from 'zod';
import { hasErrorBrand } from './error-brand.ts';
import {
  type ScenarioDefinition,
  type ScenarioName,
  type ScenarioParams,
  scenarios,
} from './scenario-catalogue.ts';

export type { ScenarioDefinition, ScenarioName, ScenarioParams } from './scenario-catalogue.ts';
export { scenarios };

export type ValidationIssue = { field: string; message: string };

const PARAM_VALIDATION: unique symbol = Symbol.for('load-tests.ParamValidationError');

/** Bad launch input. `field` names the first offending parameter (e.g. 'vus', 'target', 'scenario'). */
export class ParamValidationError extends Error {
  readonly [PARAM_VALIDATION] = true;
  readonly field: string;
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0] ?? { field: 'params', message: 'invalid parameters' };
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
    this.name = 'ParamValidationError';
    this.field = first.field;
    this.issues = issues;
  }
}

/** A ParamValidationError from any copy of this module (see error-brand.ts). */
export const isParamValidationError = (error: unknown): error is ParamValidationError =>
  hasErrorBrand(error, PARAM_VALIDATION);

const DURATION_RE = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds of a k6 duration string such as '500ms', '20s', '10m', '1h'; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** A base URL in the form the allowlist compares: origin plus path, no trailing slash. */
export function normalizeTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return undefined;
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function targetSchema(targets: readonly string[]) {
  const allowed = new Set(targets.map((t) => normalizeTarget(t)).filter((t) => t !== undefined));
  return z.string({ error: 'is required (a base URL from the allowlist)' }).transform((t, ctx) => {
    const norm = normalizeTarget(t);
    if (norm === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) base URL without credentials or query' });
      return z.NEVER;
    }
    if (!allowed.has(norm)) {
      ctx.addIssue({ code: 'custom', message: `${norm} is not in the allowed targets` });
      return z.NEVER;
    }
    return norm;
  });
}

function durationSchema(def: ScenarioDefinition) {
  const maxMs = parseDuration(def.limits.maxDuration) ?? 0;
  return z
    .string({ error: 'must be a k6 duration such as 30s or 5m' })
    .regex(DURATION_RE, 'must be a k6 duration such as 30s or 5m (units ms, s, m, h)')
    .refine((d) => parseDuration(d) !== 0, 'must be longer than zero')
    .refine((d) => (parseDuration(d) ?? 0) <= maxMs, `must be at most ${def.limits.maxDuration}`)
    .default(def.defaults.duration);
}

function vusSchema(def: ScenarioDefinition) {
  return z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(def.limits.maxVus, `must be at most ${def.limits.maxVus}`);
}

/** Peak VUs of a scaled scenario at `scale` (the k6 scripts round the same way, never below 1). */
export function scaledVus(def: ScenarioDefinition, scale: number): number {
  return Math.max(1, Math.round((def.plan?.peakVus ?? def.defaults.vus) * scale));
}

/**
 * Fixed-VU scenarios (smoke) take { vus, duration, target }. Scaled scenarios take { scale, duration,
 * target }, or `vus` instead of `scale` meaning the peak VU count (scale = vus / plan peak), so a
 * form that only knows VUs still works.
 */
export function scenarioParamsSchema(def: ScenarioDefinition, targets: readonly string[]) {
  if (!def.plan) {
    return z
      .object({
        vus: vusSchema(def).default(def.defaults.vus),
        duration: durationSchema(def),
        target: targetSchema(targets),
      })
      .strict();
  }
  const { minScale = 0.0001, maxScale = 1 } = def.limits;
  const peakVus = def.plan.peakVus;
  return z
    .object({
      scale: z
        .number({ error: `must be a number between ${minScale} and ${maxScale}` })
        .min(minScale, `must be at least ${minScale}`)
        .max(maxScale, `must be at most ${maxScale}`)
        .optional(),
      vus: vusSchema(def).optional(),
      duration: durationSchema(def),
      target: targetSchema(targets),
    })
    .strict()
    .superRefine((p, ctx) => {
      if (p.scale !== undefined && p.vus !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['vus'],
          message: 'give either scale or vus (peak VUs), not both',
        });
    })
    .transform((p): ScenarioParams => {
      const scale = p.scale ?? (p.vus !== undefined ? p.vus / peakVus : (def.defaults.scale ?? 1));
      return { scale, vus: scaledVus(def, scale), duration: p.duration, target: p.target };
    });
}

export function getScenario(name: string): ScenarioDefinition | undefined {
  return Object.hasOwn(scenarios, name) ? scenarios[name as ScenarioName] : undefined;
}

/** Validates a launch request; throws ParamValidationError naming the field. */
export function parseScenarioParams(
  scenario: string,
  params: unknown,
  targets: readonly string[],
): { scenario: ScenarioDefinition; params: ScenarioParams } {
  const def = getScenario(scenario);
  if (!def) {
    throw new ParamValidationError([
      {
        field: 'scenario',
        message: `unknown scenario "${scenario}" (known: ${Object.keys(scenarios).join(', ')})`,
      },
    ]);
  }
  const parsed = scenarioParamsSchema(def, targets).safeParse(params ?? {});
  if (!parsed.success) {
    throw new ParamValidationError(
      parsed.error.issues.map((i) => {
        if (i.code === 'unrecognized_keys')
          return { field: i.keys.join(', '), message: 'is not a parameter' };
        return { field: i.path.length > 0 ? i.path.join('.') : 'params', message: i.message };
      }),
    );
  }
  return { scenario: def, params: parsed.data };
}
