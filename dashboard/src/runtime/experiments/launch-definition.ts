// What a launch resolves to before anything runs: the shipped plan or an inline definition with
// its overrides applied and validated as a whole, the role's right to switch its settings resource,
// and each run's parameters within the scenario's limits and the role's ceilings. Refusals are values.
import {
  type ExperimentDefinition,
  isExperimentDefinitionError,
  parseExperimentDefinition,
  type RunLimits,
} from 'load-tests';
import { isParamValidationError, parseDuration, parseScenarioParams } from 'load-tests/model';
import { type ExperimentOverrides, OPTIMISATIONS_RESOURCE } from '../../lib/experiment-input.ts';
import { applyOverrides } from './experiment-overrides.ts';

export type Refusal = {
  ok: false;
  code: 'BAD_REQUEST' | 'CONFLICT' | 'FORBIDDEN' | 'BAD_GATEWAY';
  message: string;
};

export type LaunchRequest = {
  /** A shipped plan's name; absent with `definition`. */
  plan?: string | undefined;
  /** An inline definition (validated here); settings other than /admin/optimisations need admin. */
  definition?: unknown;
  overrides: ExperimentOverrides;
  role: 'qa' | 'admin';
};

/** The definition a launch asks for (a shipped plan or an inline one, with its overrides), or why not. */
export async function definitionOf(
  input: LaunchRequest,
  shippedPlans: () => Promise<ExperimentDefinition[]>,
): Promise<ExperimentDefinition | Refusal> {
  try {
    if (input.definition !== undefined) {
      const def = parseExperimentDefinition(input.definition, 'definition');
      if (def.settingsResource !== OPTIMISATIONS_RESOURCE && input.role !== 'admin')
        return {
          ok: false,
          code: 'FORBIDDEN',
          message: `switching ${def.settingsResource} needs the admin role; qa may switch ${OPTIMISATIONS_RESOURCE}`,
        };
      return applyOverrides(def, input.overrides);
    }
    const plans = await shippedPlans();
    const plan = input.plan ? plans.find((p) => p.name === input.plan) : plans[0];
    if (!plan)
      return {
        ok: false,
        code: 'BAD_REQUEST',
        message: `no plan "${input.plan}" (shipped: ${plans.map((p) => p.name).join(', ')})`,
      };
    return applyOverrides(plan, input.overrides);
  } catch (error) {
    if (isExperimentDefinitionError(error)) return { ok: false, code: 'BAD_REQUEST', message: error.message };
    throw error;
  }
}

/** Each run's parameters within the scenario's limits and the role's ceilings; null when they are. */
export function checkRunParams(
  def: ExperimentDefinition,
  limits: RunLimits | undefined,
  target: { url: string; allowed: string[] },
): Refusal | null {
  try {
    const { params } = parseScenarioParams(
      def.scenario,
      { ...def.params, target: target.url },
      target.allowed,
    );
    const who = limits?.appliesTo ? ` for ${limits.appliesTo}` : '';
    if (limits && params.vus > limits.maxVus)
      return {
        ok: false,
        code: 'BAD_REQUEST',
        message: `vus: ${params.vus} is over the ceiling of ${limits.maxVus}${who}`,
      };
    if (limits && (parseDuration(params.duration) ?? 0) > (parseDuration(limits.maxDuration) ?? 0))
      return {
        ok: false,
        code: 'BAD_REQUEST',
        message: `duration: ${params.duration} is over the ceiling of ${limits.maxDuration}${who}`,
      };
    return null;
  } catch (error) {
    if (isParamValidationError(error)) return { ok: false, code: 'BAD_REQUEST', message: error.message };
    throw error;
  }
}
