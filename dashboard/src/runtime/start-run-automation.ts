// Runs nobody launches by hand: cron schedules (one launcher of them among replicas, by a Redis
// lock) and experiments (one at a time; those a dead process left running are put back first).
import { createEvaluatorLock } from 'alert-rules';
import type { Store } from 'collector';
import type { Launcher, RunLimits } from 'load-tests';
import type { DashboardEnv } from '../env.ts';
import type { AuditLog } from '../server/audit.ts';
import { createExperimentHost, recoverExperiments } from './experiments/experiment-host.ts';
import { runScorer } from './experiments/score-run.ts';
import { createScheduler } from './scheduler/scheduler.ts';

export async function startRunAutomation(
  env: DashboardEnv,
  deps: {
    store: Store;
    launcher: Launcher;
    runLimits: { qa: RunLimits; admin: RunLimits };
    audit: AuditLog;
    log: (line: string) => void;
  },
) {
  const { store, launcher, runLimits, audit, log } = deps;
  const schedules = createScheduler({
    client: store.client,
    launcher,
    targets: env.LOAD_TARGETS,
    runLimits,
    serverService: env.TARGET_SERVICE_NAME,
    externalUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    // Replicas: the alert engine's kind of Redis lock, under its own key.
    lock: env.REDIS_URL
      ? createEvaluatorLock({ url: env.REDIS_URL, key: 'dashboard:scheduler', ttlMs: 90_000, log })
      : null,
    log,
  });
  await schedules.start();
  // Experiments a dead process left running: their target put back before anything else runs.
  await recoverExperiments(store, env.TARGET_ADMIN_TOKEN, log).catch((e: unknown) =>
    log(`experiments: recovering interrupted ones failed: ${String(e)}`),
  );
  const experiments = createExperimentHost({
    store,
    launcher,
    target: env.TARGET_URL,
    targets: env.LOAD_TARGETS,
    adminToken: env.TARGET_ADMIN_TOKEN,
    scoreRun: runScorer(store, env.TARGET_SERVICE_NAME),
    audit,
    log: (line) => log(`experiments: ${line}`),
  });
  return { schedules, experiments };
}
