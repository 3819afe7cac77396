// The alert engine: evaluates each rule group on its interval, moves every alert instance through
// the state machine, records transitions in cp_alert_events and hands firing/resolved alerts to
// the dispatcher (routes → receivers). On start it picks up each alert's last state, so a restart
// neither forgets a firing alert nor notifies it again. With a Redis URL only the replica holding
// the evaluator lock evaluates; one that takes over first reloads the state from the store.
// Groups evaluate concurrently, the rules of a group one after another in file order (as
// Prometheus). Silences and acknowledgements keep firing alerts quiet without changing their state.
// Given the collector's accepted batches, short-window threshold rules are also evaluated as data
// lands, from windows held in memory (engine/live-rules.ts); runs of a group never overlap.
import { fileURLToPath } from 'node:url';
import { activeAlertOf } from './engine/alert-view.ts';
import type { AlertEngine, AlertEngineOptions } from './engine/engine-types.ts';
import { createEvaluatorLock, type EvaluatorLock } from './engine/evaluator-lock.ts';
import { createGroupRuns } from './engine/group-runs.ts';
import { createLeadership } from './engine/leadership.ts';
import { createLiveRules, type LiveRules } from './engine/live-rules.ts';
import { alertLabels, createRuleInstances, type RuleEvaluated } from './engine/rule-instances.ts';
import { createSuppression } from './engine/suppression.ts';
import { createTransitionHandler } from './engine/transitions.ts';
import { parseAlertRulesEnv } from './env.ts';
import { loadRules, RuleLoadError } from './load-rules.ts';
import { createDispatcher, type Dispatcher } from './notify/dispatcher.ts';
import { loadRoutingConfig, type RoutingConfig } from './notify/routing-config.ts';
import { sendTestNotification } from './notify/test-notification.ts';
import type { Rule } from './rule-schema.ts';
import { describeCondition, formatRuleValue } from './rule-text.ts';
import { AlertActionError } from './silence/alert-action-error.ts';
import { settled } from './state-machine.ts';
import { recentAlertEvents } from './store/alert-events.ts';

export type { ActiveAlert, AlertEngine, AlertEngineOptions, RuleEvaluation } from './engine/engine-types.ts';
export type { RuleEvaluated };
export { alertLabels };

export const shippedRoutingFile = fileURLToPath(new URL('../routing.yaml', import.meta.url));

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const { client } = options;
  const sqlRuleClient = options.sqlRuleClient ?? client;
  const rules = options.rules ?? loadOrThrow(options.rulesDir);
  const clock = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.warn(`[alert-rules] ${message}`));
  const externalUrl = (options.externalUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const needsEnv = options.routing === undefined || options.redisUrl === undefined;
  const env = needsEnv ? parseAlertRulesEnv(options.env ?? process.env) : {};
  const routing = routingOf(options, env.ALERT_ROUTING_FILE);
  const dispatcher: Dispatcher | null = routing
    ? createDispatcher({
        client,
        routing,
        suppressed: (alert, now) => suppression.reason(alert, now),
        env: {
          ...(options.env ?? process.env),
          ...(options.webhookUrl ? { ALERT_WEBHOOK_URL: options.webhookUrl } : {}),
        },
        externalUrl,
        delivery: options.delivery,
        log,
      })
    : null;
  const lock = lockOf(options, env.REDIS_URL, rules, log);
  const suppression = createSuppression(client, {
    log,
    changes: lock?.suppressionChanges ?? null,
    reloadMs: options.suppressionReloadMs,
  });

  const ruleByName = new Map(rules.map((r) => [r.alert, r]));
  const ruleSets = rules.map((rule) => createRuleInstances(rule, log, options.onEvaluated));
  // Group names are unique per file, as in Prometheus; the same name in two files is two groups.
  const groups = Map.groupBy(ruleSets, (r) => `${r.rule.file}\u0000${r.rule.group}`);
  const leadership = createLeadership(client, lock, ruleSets);
  const runs = createGroupRuns({ groups, evaluate: evaluateGroup, clock, log });
  // Behind a lock, this process's collector may see only its share of the data: arriving data
  // then triggers an evaluation, but the values come from the store.
  const live: LiveRules | null = options.acceptedMetrics
    ? createLiveRules({
        client,
        rules,
        subscribe: options.acceptedMetrics,
        inMemory: !lock,
        onData: (names) => runs.onData(names),
        log,
        now: clock,
        debounceMs: options.fastPath?.debounceMs,
        maxWindowMs: options.fastPath?.maxWindowMs,
        reseedAfterMs: options.fastPath?.reseedAfterMs,
      })
    : null;

  const handle = createTransitionHandler({ client, suppression, dispatcher, log });

  /** A group's rules (or `only` these, when their data landed), in file order. */
  async function evaluateGroup(name: string, now: number, only?: ReadonlySet<string>): Promise<void> {
    if (!(await leadership.mayEvaluate())) {
      if (only) return; // a standby leaves arriving data to the leader
      // Standby: show what the leader recorded, so this replica's dashboard is not stale.
      leadership.reloadNext();
      await leadership.restore();
      return;
    }
    await leadership.restore();
    await suppression
      .refreshIfStale(now)
      .catch((e: unknown) => log(`reading silences and acknowledgements failed: ${String(e)}`));
    const records: Promise<void>[] = [];
    for (const set of groups.get(name) ?? []) {
      if (only && !only.has(set.rule.alert)) continue;
      const ruleClient = set.rule.type === 'sql' ? sqlRuleClient : client;
      for (const transition of await set.evaluate(ruleClient, now, live?.values(set.rule)))
        records.push((await handle(transition, now)).recorded);
    }
    // Notifications first: the transitions' records land beside them, and the run ends with both.
    await Promise.all([dispatcher?.flush(now), ...records]);
  }

  return {
    start() {
      if (runs.running) return;
      live?.start();
      runs.start();
    },
    async stop() {
      live?.stop();
      await runs.stop();
      await dispatcher?.settled();
      await lock?.release();
    },
    async evaluateOnce(now = clock()) {
      await Promise.all([...groups.keys()].map((name) => runs.run(name, now)));
    },
    alerts: () =>
      ruleSets.flatMap((set) => set.list().map((i) => activeAlertOf(i, suppression, dispatcher, clock()))),
    recent: (limit = 50) => recentAlertEvents(client, limit),
    rules: () => [...rules],
    formatValue: (name, value, labels) => formatRuleValue(ruleByName.get(name) ?? {}, value, labels),
    describeCondition: (name) => {
      const rule = ruleByName.get(name);
      return rule ? describeCondition(rule) : '';
    },
    receivers: () => dispatcher?.receivers() ?? [],
    async testReceiver(name, by) {
      const receiver = dispatcher?.receiverNamed(name);
      return receiver ? sendTestNotification(receiver, { externalUrl, by }) : null;
    },
    setAddedReceivers(added) {
      if (dispatcher) dispatcher.setAddedReceivers(added);
      else if (added.length > 0) log('receivers added at run time are ignored: routing is off');
    },
    evaluationTimes: () => Object.fromEntries(ruleSets.map((r) => [r.rule.alert, r.lastEvalDurationMs()])),
    ruleEvaluations: () =>
      Object.fromEntries(
        ruleSets.map((r) => [r.rule.alert, { ...r.lastEval(), durationMs: r.lastEvalDurationMs() }]),
      ),
    createSilence: (input, now = clock()) => suppression.createSilence(input, now),
    expireSilence: (id, now = clock()) => suppression.expireSilence(id, now),
    silences: (now = clock()) => suppression.listSilences(now),
    async acknowledge(input, now = clock()) {
      const instance = ruleSets.flatMap((set) => set.list()).find((i) => i.fingerprint === input.fingerprint);
      if (!instance || settled(instance.state).state !== 'firing')
        throw new AlertActionError(`no firing alert with fingerprint ${input.fingerprint}`);
      return suppression.acknowledge(input, instance.rule.alert, now);
    },
    async unacknowledge(fingerprint, now = clock()) {
      if (!(await suppression.clearAck(fingerprint, now)))
        throw new AlertActionError(`alert ${fingerprint} is not acknowledged`);
    },
    role: leadership.role,
  };
}

/** The routing given, a routing file's path, or the file named by ALERT_ROUTING_FILE or shipped; null: off. */
function routingOf(options: AlertEngineOptions, fileFromEnv: string | undefined): RoutingConfig | null {
  if (options.routing === undefined) return loadRoutingConfig(fileFromEnv ?? shippedRoutingFile);
  return typeof options.routing === 'string' ? loadRoutingConfig(options.routing) : options.routing;
}

/** With a Redis URL (the option, else REDIS_URL), the lock that lets one replica evaluate. */
function lockOf(
  options: AlertEngineOptions,
  redisFromEnv: string | undefined,
  rules: readonly Rule[],
  log: (message: string) => void,
): EvaluatorLock | null {
  const redisUrl = options.redisUrl === undefined ? redisFromEnv : options.redisUrl;
  if (!redisUrl) return null;
  const minInterval = Math.min(...rules.map((r) => r.intervalMs), 60_000);
  return createEvaluatorLock({
    url: redisUrl,
    key: options.lockKey,
    ttlMs: Math.max(3 * minInterval, 5_000),
    log,
  });
}

function loadOrThrow(dir: string | undefined): Rule[] {
  if (!dir) throw new TypeError('createAlertEngine needs rulesDir or rules');
  const loaded = loadRules(dir);
  if (loaded.errors.length > 0) throw new RuleLoadError(loaded.errors);
  return loaded.rules;
}
