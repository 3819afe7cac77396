// Builds what the dashboard process hosts besides Next.js: the store, the OTLP collector (in
// embedded mode it must live here: chDB locks its data directory to one process), the k6
// launcher and the alert engine. Run by server.ts only; never imported by the Next bundle.
import { createAlertEngine } from 'alert-rules';
import {
  attributeCondition,
  type CollectorServer,
  collectorOptionsFromEnv,
  createStore,
  quantileOf,
  queryHistogramBatch,
  queryHistogramBatches,
  queryHistogramBuckets,
  queryHistogramSeries,
  queryStat,
  queryValueBatch,
  queryValueBatches,
  type Store,
  seriesFromBuckets,
  startCollector,
  statOfHistogram,
  statOfValues,
  storeOptionsFromEnv,
  summarise,
  valueAggregates,
  whereClause,
} from 'collector';
import { createClickHouseRunRecorder, createLauncher, scenarios } from 'load-tests';
import { type DashboardEnv, runsDirOf } from '../env.ts';
import { createAuditLog } from '../server/audit.ts';
import { createAuth } from '../server/auth/auth.ts';
import { loadAuthConfig } from '../server/auth/bootstrap.ts';
import { createOidcLogin, ssoMapping } from '../server/auth/oidc.ts';
import { createSessionStore } from '../server/auth/session-store.ts';
import type { Services } from '../server/services.ts';
import { createTargetChaos } from '../server/target-chaos.ts';
import { createAlertEngineMetrics } from './alert-metrics.ts';
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
  const authConfig = await loadAuthConfig(env, log);
  const auth = createAuth({
    ...authConfig,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
    // Session records live in the store opened below (first read when a request arrives).
    sessions: createSessionStore(() => store.client, { log }),
    sso: env.OIDC_ISSUER
      ? ssoMapping({
          issuer: env.OIDC_ISSUER,
          roleValues: env.OIDC_ROLES,
          defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
        })
      : null,
  });
  const oidc = env.OIDC_ISSUER
    ? createOidcLogin({
        issuer: env.OIDC_ISSUER,
        clientId: env.OIDC_CLIENT_ID ?? '',
        clientSecret: env.OIDC_CLIENT_SECRET,
        redirectUri: `${env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`}/api/auth/oidc/callback`,
        roleClaim: env.OIDC_ROLE_CLAIM,
        roleValues: env.OIDC_ROLES,
        defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
        secret: authConfig.secret,
        cookieSecure: (headers) => auth.cookieSecureFor(headers),
      })
    : null;
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
    opened.collector = env.COLLECTOR_ENABLED
      ? await startCollector({ store, ...collectorOptionsFromEnv(env) })
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
    const alertMetrics = createAlertEngineMetrics({
      otlpUrl,
      ...(otlpHeaders ? { headers: otlpHeaders } : {}),
    });
    const alerts = createAlertEngine({
      client: store.client,
      sqlRuleClient: opened.rulesStore?.client,
      onEvaluated: alertMetrics.onEvaluated,
      rulesDir: env.RULES_DIR,
      webhookUrl: env.ALERT_WEBHOOK_URL,
      externalUrl: `http://${env.HOST}:${env.PORT}`,
      log: (message) => log(`alerts: ${message}`),
    });
    alerts.start();
    const services: Services = {
      config: {
        targetServiceName: env.TARGET_SERVICE_NAME,
        targets: env.LOAD_TARGETS,
        collectorUrl: opened.collector?.url ?? null,
        collectorServiceName: env.COLLECTOR_SERVICE_NAME,
        storeDescription: store.describe,
        liveSnapshots: env.LIVE_SNAPSHOTS,
        runLimits: {
          qa: { maxVus: env.RUN_MAX_VUS_QA, maxDuration: env.RUN_MAX_DURATION_QA },
          admin: { maxVus: env.RUN_MAX_VUS_ADMIN, maxDuration: env.RUN_MAX_DURATION_ADMIN },
        },
      },
      store,
      queries: {
        queryHistogramSeries,
        queryStat,
        queryHistogramBuckets,
        queryHistogramBatch,
        queryValueBatch,
        queryHistogramBatches,
        queryValueBatches,
        summarise,
        quantileOf,
        seriesFromBuckets,
        statOfHistogram,
        statOfValues,
        whereClause,
        attributeCondition,
        valueAggregates,
      },
      launcher,
      scenarios,
      alerts,
      collector: opened.collector,
      chaos: createTargetChaos({ targetUrl: env.TARGET_URL, adminToken: env.TARGET_ADMIN_TOKEN }),
      auth,
      oidc,
      audit: createAuditLog(store.client, log),
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
