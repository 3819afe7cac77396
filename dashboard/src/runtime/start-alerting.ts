// Alerting in the dashboard process: the alert engine (its fast path fed by the collector hosted
// here), its own metrics, and the receivers added in the UI — secrets sealed with RECEIVERS_KEY (or
// DATA_DIR/receivers.key), handed to the running engine now and after every change.
import { createAlertEngine } from 'alert-rules';
import type { CollectorServer, Store } from 'collector';
import type { DashboardEnv } from '../env.ts';
import { createReceiverAdmin, engineRoutingFile } from '../server/receivers/receiver-admin.ts';
import { createSecretBox, loadReceiversKey } from '../server/receivers/secret-box.ts';
import { longestCoalesceMs } from '../server/viewer-activity.ts';
import { createAlertEngineMetrics } from './alert-metrics.ts';

export async function startAlerting(
  env: DashboardEnv,
  deps: {
    store: Store;
    /** On a ClickHouse server, raw SQL rules run as a user that may only read their tables. */
    rulesStore: Store | null;
    collector: CollectorServer | null;
    otlpUrl: string;
    otlpHeaders: Record<string, string> | undefined;
    log: (line: string) => void;
  },
) {
  const { store, otlpUrl, otlpHeaders, log } = deps;
  const alertMetrics = createAlertEngineMetrics({
    otlpUrl,
    ...(otlpHeaders ? { headers: otlpHeaders } : {}),
  });
  const collector = deps.collector;
  const alerts = createAlertEngine({
    client: store.client,
    sqlRuleClient: deps.rulesStore?.client,
    // The fast path: short-window threshold rules evaluate as the collector here accepts their data.
    acceptedMetrics: collector ? (listener) => collector.onAcceptedMetrics(listener) : undefined,
    // Its second seed waits out the collector's coalescing (rows acknowledged, not yet stored).
    fastPath: { reseedAfterMs: longestCoalesceMs(env) + 5_000 },
    onEvaluated: alertMetrics.onEvaluated,
    rulesDir: env.RULES_DIR,
    webhookUrl: env.ALERT_WEBHOOK_URL,
    externalUrl: `http://${env.HOST}:${env.PORT}`,
    log: (message) => log(`alerts: ${message}`),
  });
  alerts.start();
  // Receivers added in the UI: secrets sealed with RECEIVERS_KEY (or DATA_DIR/receivers.key),
  // handed to the running engine now and after every change; replicas (a ClickHouse server: chDB
  // allows one process) reread them every 30 s for changes made on another.
  const receivers = createReceiverAdmin({
    client: store.client,
    engine: alerts,
    box: createSecretBox(loadReceiversKey(env, log).key),
    routingFile: engineRoutingFile(),
    externalUrl: env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    refreshMs: env.CLICKHOUSE_URL ? 30_000 : 0,
    log,
  });
  await receivers.reload().catch((e: unknown) => log(`receivers: reading cp_receivers failed: ${String(e)}`));
  return { alerts, alertMetrics, receivers };
}
