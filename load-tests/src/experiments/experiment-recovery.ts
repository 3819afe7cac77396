// Experiments whose process went away mid-way (crash, restart) left their target switched and their
// record `running`. On start, the host (the dashboard) puts each one's target back to the settings
// read when it began and ends its record as failed, saying so — the same reset a `finally` gives a
// live experiment. One host per store is assumed, as for lost runs.
import type { StoreClient } from '../run-store.ts';
import type { ExperimentRecorder } from './experiment-store.ts';
import { EXPERIMENTS_TABLE, findExperiment } from './experiment-store.ts';
import type { Experiment } from './model.ts';
import type { TargetSettingsClient } from './target-settings.ts';

export const INTERRUPTED_REASON = 'the process running it went away before it ended';

async function runningIds(client: StoreClient): Promise<string[]> {
  const result = await client.query({
    query: `SELECT ExperimentId FROM ${EXPERIMENTS_TABLE} FINAL WHERE State = 'running'`,
    format: 'JSONEachRow',
  });
  return (await result.json<{ ExperimentId: string }>()).map((r) => r.ExperimentId);
}

/**
 * Puts back the target of every experiment the store shows running and ends it as failed; the
 * experiments so ended. `settingsFor` gives the client of its target's resource.
 */
export async function recoverInterruptedExperiments(
  client: StoreClient,
  recorder: ExperimentRecorder,
  settingsFor: (target: string, resource: string) => TargetSettingsClient,
): Promise<Experiment[]> {
  const ended: Experiment[] = [];
  for (const id of await runningIds(client)) {
    const experiment = await findExperiment(client, id);
    if (!experiment) continue;
    let reason = `${INTERRUPTED_REASON}; its target's settings were put back`;
    try {
      await settingsFor(experiment.target, experiment.definition.settingsResource).write(
        experiment.originalSettings,
      );
    } catch (error) {
      reason = `${INTERRUPTED_REASON}; its target's settings could not be put back: ${String((error as Error).message).split('\n')[0]}`;
    }
    const failed: Experiment = { ...experiment, state: 'failed', reason, endedAt: Date.now() };
    await recorder.record(failed);
    ended.push(failed);
  }
  return ended;
}
