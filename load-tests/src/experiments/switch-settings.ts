// Switching the target to a variant's settings, and the preflight that tries every variant once
// before an experiment spends a run: a variant is the original settings with its own on top (so
// what it leaves out is the original's), written, read back and checked value by value.
import { differingKeys, type ExperimentDefinition } from './definition.ts';
import type { Settings } from './settings.ts';
import { type TargetSettingsClient, TargetSettingsError } from './target-settings.ts';

/** The values of `wanted` the target does not hold in `actual`, e.g. "latencyMs=50 (is 0)". */
function notTaken(wanted: Settings, actual: Settings): string[] {
  return differingKeys(wanted, actual)
    .filter((k) => k in wanted)
    .map((k) => `${k}=${JSON.stringify(wanted[k])} (is ${JSON.stringify(actual[k])})`);
}

/** Puts original + variant; the settings read back. TargetSettingsError when refused or not taken. */
export async function switchToVariant(
  client: TargetSettingsClient,
  original: Settings,
  variant: { name: string; settings: Settings },
): Promise<Settings> {
  const wanted = { ...original, ...variant.settings };
  const answered = await client.write(wanted);
  const readBack = await client.read();
  const missing = notTaken(wanted, readBack);
  if (missing.length > 0 || notTaken(wanted, answered).length > 0)
    throw new TargetSettingsError(
      `the target did not take ${variant.name}'s settings: ${missing.join(', ')}`,
    );
  return readBack;
}

/**
 * Tries every variant on the target, then puts `original` back (also when one is refused: the
 * error names the variant). Settings change for milliseconds; call it while nothing runs.
 */
export async function preflightVariants(
  def: ExperimentDefinition,
  client: TargetSettingsClient,
  original: Settings,
  signal?: AbortSignal,
): Promise<void> {
  try {
    for (const v of def.variants) {
      if (signal?.aborted) return;
      try {
        await switchToVariant(client, original, { name: v.name, settings: v.settings as Settings });
      } catch (error) {
        const text = String((error as Error).message).split('\n')[0];
        throw new TargetSettingsError(text?.includes(`${v.name}'s`) ? text : `variant ${v.name}: ${text}`);
      }
    }
  } finally {
    await client.write(original);
  }
}
