// The alert engine: evaluates each rule group on its interval, moves every alert instance through
// the state machine, records transitions in cp_alert_events and hands firing/resolved alerts to
// the dispatcher (routes → receivers). On start it picks up each alert's last state, so a restart
// neither forgets a firing alert nor notifies it again. With a Redis URL only the replica holding
// the evaluator lock evaluates; one that takes over first reloads the state from the store.
// Groups evaluate concurrently, the rules of a group one after another in file order (as
// Prometheus). Silences and acknowledgements keep firing alerts quiet without changing their state.
import { fileURLToPath } from 'node:url';
import type { ActiveAlert, AlertEngine, AlertEngineOptions } from './engine/engine-types.ts';
import { createEvaluatorLock, type EvaluatorLock } from './engine/evaluator-lock.ts';
import {
  alertLabels,
  createRuleInstances,
  type RuleEvaluated,
  type Transition,
} from './engine/rule-instances.ts';
import { createSuppression } from './engine/suppression.ts';
import { parseAlertRulesEnv } from './env.ts';
import { loadRules, RuleLoadError } from './load-rules.ts';
import { createDispatcher, type Dispatcher } from './notify/dispatcher.ts';
import type { GroupAlert } from './notify/receivers.ts';
import { loadRoutingConfig } from './notify/routing-config.ts';
import type { Rule } from './rule-schema.ts';
import { describeCondition, formatRuleValue, unitOf } from './rule-text.ts';
import { AlertActionError } from './silence/silence.ts';
import { activeAt, notificationFor, settled } from './state-machine.ts';
import { lastAlertStates, recentAlertEvents, recordAlertEvent } from './store/alert-events.ts';

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
  const routing =
    options.routing === undefined
      ? loadRoutingConfig(env.ALERT_ROUTING_FILE ?? shippedRoutingFile)
      : typeof options.routing === 'string'
        ? loadRoutingConfig(options.routing)
        : options.routing;
  const suppression = createSuppression(client, log);
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
  const redisUrl = options.redisUrl === undefined ? env.REDIS_URL : options.redisUrl;
  const minInterval = Math.min(...rules.map((r) => r.intervalMs), 60_000);
  const lock: EvaluatorLock | null = redisUrl
    ? createEvaluatorLock({
        url: redisUrl,
        key: options.lockKey,
        ttlMs: Math.max(3 * minInterval, 5_000),
        log,
      })
    : null;
  let leader = false;

  const ruleByName = new Map(rules.map((r) => [r.alert, r]));
  const ruleSets = rules.map((rule) => createRuleInstances(rule, log, options.onEvaluated));
  // Group names are unique per file, as in Prometheus; the same name in two files is two groups.
  const groups = Map.groupBy(ruleSets, (r) => `${r.rule.file}\u0000${r.rule.group}`);
  const groupRuns = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let restored: Promise<void> | null = null;
  let running = false;

  function restore(): Promise<void> {
    restored ??= lastAlertStates(client).then(
      (rows) => {
        for (const set of ruleSets) set.restore(rows);
      },
      (error: unknown) => {
        restored = null; // try again on the next evaluation rather than notify from a blank slate
        throw error;
      },
    );
    return restored;
  }

  /** With a lock: evaluate only while holding it; on taking it over, reload state first. */
  async function mayEvaluate(): Promise<boolean> {
    if (!lock) return true;
    const holds = await lock.acquire();
    if (holds && !leader) restored = null;
    leader = holds;
    return holds;
  }

  async function handle({ instance, prev, next }: Transition, now: number): Promise<void> {
    if (next.state !== prev.state) {
      await recordAlertEvent(client, {
        at: now,
        rule: instance.rule.alert,
        fingerprint: instance.fingerprint,
        state: next.state,
        previousState: prev.state,
        value: instance.value,
        labels: instance.labels,
        annotations: instance.annotations,
        activeAt: activeAt(next),
      }).catch((e: unknown) => log(`recording ${instance.rule.alert} → ${next.state} failed: ${String(e)}`));
    }
    const status = notificationFor(prev, next);
    const s = settled(next);
    // An acknowledgement lasts until the alert resolves.
    if (s.state === 'resolved' || s.state === 'inactive')
      await suppression
        .clearAck(instance.fingerprint, now)
        .catch((e: unknown) =>
          log(`clearing the acknowledgement of ${instance.rule.alert} failed: ${String(e)}`),
        );
    if (!status || !dispatcher || (s.state !== 'firing' && s.state !== 'resolved')) return;
    const alert: GroupAlert = {
      rule: instance.rule.alert,
      fingerprint: instance.fingerprint,
      status,
      labels: { ...instance.labels },
      annotations: { ...instance.annotations },
      value: instance.value,
      unit: unitOf(instance.rule, instance.labels),
      startsAt: s.firedAt,
      endsAt: s.state === 'resolved' ? s.resolvedAt : null,
    };
    dispatcher.enqueue(alert, now);
  }

  /** Runs a group's rules in order; runs of one group never overlap. */
  function evaluateGroup(name: string, now: number): Promise<void> {
    const previous = groupRuns.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (!(await mayEvaluate())) {
        // Standby: show what the leader recorded, so this replica's dashboard is not stale.
        restored = null;
        await restore();
        return;
      }
      await restore();
      await suppression
        .refresh(now)
        .catch((e: unknown) => log(`reading silences and acknowledgements failed: ${String(e)}`));
      for (const set of groups.get(name) ?? []) {
        const ruleClient = set.rule.type === 'sql' ? sqlRuleClient : client;
        for (const transition of await set.evaluate(ruleClient, now)) await handle(transition, now);
      }
      await dispatcher?.flush(now);
    });
    const settledRun = run.catch(() => undefined);
    groupRuns.set(name, settledRun);
    return run;
  }

  function schedule(name: string, first: Rule): void {
    const tick = async () => {
      const startedAt = clock();
      try {
        await evaluateGroup(name, startedAt);
      } catch (e) {
        log(`evaluating group ${first.group} (${first.file}) failed: ${String(e)}`);
      }
      if (!running) return;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          void tick();
        },
        Math.max(0, startedAt + first.intervalMs - clock()),
      );
      timers.add(timer);
    };
    void tick();
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (const [name, members] of groups) schedule(name, members[0]!.rule);
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(groupRuns.values());
      await dispatcher?.settled();
      await lock?.release();
    },
    async evaluateOnce(now = clock()) {
      await Promise.all([...groups.keys()].map((name) => evaluateGroup(name, now)));
    },
    alerts: () =>
      ruleSets.flatMap((set) =>
        set.list().map(
          (i): ActiveAlert => ({
            rule: i.rule.alert,
            group: i.rule.group,
            fingerprint: i.fingerprint,
            state: i.state.state,
            held: i.state.state === 'nodata' || i.state.state === 'error' ? i.state.held.state : null,
            value: i.value,
            activeAt: activeAt(i.state),
            labels: { ...i.labels },
            annotations: { ...i.annotations },
            lastEvalAt: i.lastEvalAt,
            lastError: i.lastError,
            lastEvalDurationMs: i.lastEvalDurationMs,
            warnings: [...i.warnings],
            silencedBy: suppression.silencedBy(i.labels, i.lastEvalAt ?? clock()),
            acknowledged: suppression.ackOf(i.fingerprint),
            receivers: dispatcher?.receiversFor(i.labels) ?? [],
          }),
        ),
      ),
    recent: (limit = 50) => recentAlertEvents(client, limit),
    rules: () => [...rules],
    formatValue: (name, value, labels) => formatRuleValue(ruleByName.get(name) ?? {}, value, labels),
    describeCondition: (name) => {
      const rule = ruleByName.get(name);
      return rule ? describeCondition(rule) : '';
    },
    receivers: () => dispatcher?.receivers() ?? [],
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
    role: () => (lock ? (leader ? 'leader' : 'standby') : 'single'),
  };
}

function loadOrThrow(dir: string | undefined): Rule[] {
  if (!dir) throw new TypeError('createAlertEngine needs rulesDir or rules');
  const loaded = loadRules(dir);
  if (loaded.errors.length > 0) throw new RuleLoadError(loaded.errors);
  return loaded.rules;
}
