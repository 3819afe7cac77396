// The catalogue of k6 scenarios the launcher may start, and validation of their parameters.
// The target must be on the configured allowlist: a load tool that can be pointed anywhere is an attack tool.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type ScenarioParams = { vus: number; duration: string; target: string };

export type ScenarioDefinition = {
  name: string;
  description: string;
  /** Absolute path of the k6 script. */
  script: string;
  limits: { maxVus: number; maxDuration: string };
  defaults: { vus: number; duration: string };
};

const scriptPath = (file: string): string =>
  fileURLToPath(new URL(`../k6/scenarios/${file}`, import.meta.url));

export const scenarios = {
  smoke: {
    name: 'smoke',
    description:
      'A couple of VUs browse (makes → search → details) for a short while: does it work, does it meet the targets?',
    script: scriptPath('smoke.js'),
    limits: { maxVus: 50, maxDuration: '10m' },
    defaults: { vus: 2, duration: '20s' },
  },
} as const satisfies Record<string, ScenarioDefinition>;

export type ScenarioName = keyof typeof scenarios;

export type ValidationIssue = { field: string; message: string };

/** Bad launch input. `field` names the first offending parameter (e.g. 'vus', 'target', 'scenario'). */
export class ParamValidationError extends Error {
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

export function scenarioParamsSchema(def: ScenarioDefinition, targets: readonly string[]) {
  const allowed = new Set(targets.map((t) => normalizeTarget(t)).filter((t) => t !== undefined));
  const maxMs = parseDuration(def.limits.maxDuration) ?? 0;
  return z
    .object({
      vus: z
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(def.limits.maxVus, `must be at most ${def.limits.maxVus}`)
        .default(def.defaults.vus),
      duration: z
        .string({ error: 'must be a k6 duration such as 30s or 5m' })
        .regex(DURATION_RE, 'must be a k6 duration such as 30s or 5m (units ms, s, m, h)')
        .refine((d) => parseDuration(d) !== 0, 'must be longer than zero')
        .refine((d) => (parseDuration(d) ?? 0) <= maxMs, `must be at most ${def.limits.maxDuration}`)
        .default(def.defaults.duration),
      target: z.string({ error: 'is required (a base URL from the allowlist)' }).transform((t, ctx) => {
        const norm = normalizeTarget(t);
        if (norm === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be an http(s) base URL without credentials or query',
          });
          return z.NEVER;
        }
        if (!allowed.has(norm)) {
          ctx.addIssue({ code: 'custom', message: `${norm} is not in the allowed targets` });
          return z.NEVER;
        }
        return norm;
      }),
    })
    .strict();
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
