// Builds what the dashboard process hosts besides Next.js: sign-in (start-auth.ts), the store, the
// OTLP collector (in embedded mode it must live here: chDB locks its data directory to one
// process), the k6 launcher, the supervised target, alerting (start-alerting.ts), schedules and
// experiments. Run by server.ts only; never imported by the Next bundle.
import {
  type CollectorServer,
  collectorOptionsFromEnv,
  createStore,
  type Store,
  startCollector,
  storeOptionsFromEnv,
} from 'collector';
import { createClickHouseRunRecorder, createLauncher } from 'load-tests';
import { type DashboardEnv, runsDirOf } from '../env.ts';
import { createAuditLog } from '../server/audit.ts';
import { createApiTokenStore } from '../server/auth/api-tokens.ts';
import { createUserAccounts } from '../server/auth/user-accounts.ts';
import type { Services } from '../server/services.ts';
import { createTargetChaos } from '../server/target-chaos.ts';
import { coalesceWindow, createViewerActivity } from '../server/viewer-activity.ts';
import { startAlerting } from './start-alerting.ts';
import { startAuth } from './start-auth.ts';
import { startRunAutomation } from './start-run-automation.ts';
import { createSupervisorMetrics } from './supervisor-metrics.ts';
import { superviseTarget, type TargetSupervisor, targetCommand } from './target-supervisor.ts';

export interface RunningServices {
  services: Services;
  collector: CollectorServer | null;
  /** Stops runs, the alert loop and the collector (draining it), then closes the store. */
  close(): Promise<void>;
}

export async function startServices(
  env: DashboardEnv,
  log: (line: string) => void,
): Promise<RunningServices> {
  if (!env.CLICKHOUSE_URL && !env.COLLECTOR_ENABLED) {
    log(
      'warning: COLLECTOR_ENABLED=false with the embedded store: no other process can write to it, so no telemetry will arrive',
    );
  }
  // Records live in the store opened below (first read when a request arrives).
  const signIn = await startAuth(env, () => store.client, log);
  const { authConfig, auth, sessions, uiUsers, hashQueue } = signIn;
  // The same store and collector the collector's own process builds from the same variables.
  const store: Store = await createStore(storeOptionsFromEnv(env));
  const opened: {
    collector: CollectorServer | null;
    rulesStore: Store | null;
    target: TargetSupervisor | null;
  } = {
    collector: null,
    rulesStore: null,
    target: null,
  };
  try {
    // On a ClickHouse server, raw SQL rules run as a user that may only read their tables.
    opened.rulesStore =
      env.CLICKHOUSE_URL && env.CLICKHOUSE_RULES_URL
        ? await createStore({ url: env.CLICKHOUSE_RULES_URL, migrate: false })
        : null;
    // While nobody views the dashboard, a quiet target's rows gather longer before their insert.
    const viewers = createViewerActivity();
    const collectorOptions = collectorOptionsFromEnv(env);
    opened.collector = env.COLLECTOR_ENABLED
      ? await startCollector({
          store,
          ...collectorOptions,
          batch: { ...collectorOptions.batch, coalesceMs: coalesceWindow(env, viewers) },
        })
      : null;
    // With ingest keys configured, our own senders (k6 runs, alert engine, page check) need one like any other.
    const apiKey = env.COLLECTOR_API_KEYS[0];
    const otlpHeaders = apiKey ? { authorization: `Bearer ${apiKey}` } : undefined;
    const launcher = createLauncher({
      ...(env.K6_PATH ? { k6Path: env.K6_PATH } : {}),
      otlpEndpoint: env.OTLP_ENDPOINT,
      ...(otlpHeaders ? { otlpHeaders } : {}),
      targets: env.LOAD_TARGETS,
      runsDir: runsDirOf(env),
      recorder: createClickHouseRunRecorder(store.client),
      // Every request duration of a run goes to the store: the exact source of its percentiles.
      sampleStore: store.client,
      maxQueued: env.RUN_QUEUE_MAX,
    });
    const otlpUrl = opened.collector?.url ?? `http://${env.OTLP_ENDPOINT}`;
    // Started once the collector listens, so its first export has somewhere to go.
    const supervisorMetrics = env.SUPERVISE_TARGET
      ? createSupervisorMetrics({ otlpUrl, headers: otlpHeaders })
      : null;
    opened.target = env.SUPERVISE_TARGET
      ? superviseTarget({
          ...targetCommand(env, otlpUrl),
          log,
          onExit: (reason) => {
            const ended = launcher.endRunsAgainst(env.TARGET_URL, { state: 'failed', reason });
            if (ended.length > 0) log(`${reason}: ended ${ended.map((r) => r.id).join(', ')}`);
            supervisorMetrics
              ?.exited(env.TARGET_SERVICE_NAME, reason.replace(/^target exited: /, ''))
              .catch((error: unknown) => log(`supervisor: exit not recorded: ${String(error)}`));
          },
        })
      : null;
    const { alerts, alertMetrics, receivers } = await startAlerting(env, {
      store,
      rulesStore: opened.rulesStore,
      collector: opened.collector,
      otlpUrl,
      otlpHeaders,
      log,
    });
    const runLimits = {
      qa: { maxVus: env.RUN_MAX_VUS_QA, maxDuration: env.RUN_MAX_DURATION_QA },
      admin: { maxVus: env.RUN_MAX_VUS_ADMIN, maxDuration: env.RUN_MAX_DURATION_ADMIN },
    };
    const audit = createAuditLog(store.client, log);
    const { schedules, experiments } = await startRunAutomation(env, {
      store,
      launcher,
      runLimits,
      audit,
      log,
    });
    const services: Services = {
      config: {
        targetServiceName: env.TARGET_SERVICE_NAME,
        targets: env.LOAD_TARGETS,
        collectorUrl: opened.collector?.url ?? null,
        collectorServiceName: env.COLLECTOR_SERVICE_NAME,
        collectorSelfTelemetrySeconds: env.COLLECTOR_SELF_TELEMETRY_INTERVAL,
        storeDescription: store.describe,
        liveSnapshots: env.LIVE_SNAPSHOTS,
        runLimits,
      },
      viewers,
      store,
      launcher,
      alerts,
      collector: opened.collector,
      chaos: createTargetChaos({ targetUrl: env.TARGET_URL, adminToken: env.TARGET_ADMIN_TOKEN }),
      auth,
      tokens: createApiTokenStore(() => store.client),
      users: createUserAccounts({
        configured: authConfig.users,
        configuredFrom: authConfig.usersFrom,
        store: uiUsers,
        sessions,
        hashQueue,
      }),
      oidc: signIn.oidc,
      audit,
      receivers,
      schedules,
      experiments,
    };
    // Loaded only when enabled: playwright-core is not needed otherwise.
    const pageCheck =
      env.PAGE_CHECK_INTERVAL > 0
        ? (await import('./page-check/start-page-check.ts')).startPageCheck(env, {
            otlpUrl,
            otlpHeaders,
            activeRunId: () => launcher.list().find((run) => run.state === 'running')?.id,
            log,
          })
        : null;
    return {
      services,
      collector: opened.collector,
      async close() {
        // The page check sends its last points before the collector drains.
        // The scheduler first: no new run is launched while the launcher shuts down.
        await schedules.stop().catch(() => undefined);
        // A running experiment puts its target back before the launcher and the target go.
        await experiments.close().catch(() => undefined);
        receivers.close();
        await Promise.allSettled([launcher.close(), alerts.stop(), pageCheck?.stop()]);
        // The runs have ended ("shut down") before the target goes; its last export reaches the collector.
        await opened.target?.stop();
        await supervisorMetrics?.shutdown().catch(() => undefined);
        await alertMetrics.shutdown().catch(() => undefined);
        await opened.collector?.close();
        await opened.rulesStore?.close();
        await store.close();
      },
    };
  } catch (error) {
    await opened.target?.stop().catch(() => undefined);
    await opened.collector?.close().catch(() => undefined);
    await opened.rulesStore?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}
