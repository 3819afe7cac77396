// The alert engine: evaluates each rule group on its interval, moves every alert instance through
// the state machine, records transitions in cp_alert_events and hands firing/resolved alerts to
// the dispatcher (routes → receivers). On start it picks up each alert's last state, so a restart
// neither forgets a firing alert nor notifies it again. With a Redis URL only the replica holding
// the evaluator lock evaluates; one that takes over first reloads the state from the store.
import { fileURLToPath } from 'node:url';
import type { Store } from 'collector';
import { createEvaluatorLock, type EvaluatorLock } from './engine/evaluator-lock.ts';
import { alertLabels, createRuleInstances, type Transition } from './engine/rule-instances.ts';
import { parseAlertRulesEnv } from './env.ts';
import { loadRules, RuleLoadError } from './load-rules.ts';
import { createDispatcher, type Dispatcher } from './notify/dispatcher.ts';
import type { GroupAlert } from './notify/receivers.ts';
import { loadRoutingConfig, type RoutingConfig } from './notify/routing-config.ts';
import type { DeliveryOptions } from './notify/webhook.ts';
import type { Rule } from './rule-schema.ts';
import {
  type AlertStateName,
  activeAt,
  notificationFor,
  type SettledState,
  settled,
} from './state-machine.ts';
import {
  type AlertEvent,
  lastAlertStates,
  recentAlertEvents,
  recordAlertEvent,
} from './store/alert-events.ts';

export { alertLabels };

type Client = Store['client'];

export const shippedRoutingFile = fileURLToPath(new URL('../routing.yaml', import.meta.url));

export interface AlertEngineOptions {
  client: Client;
  /** Directory of rule files; or pass `rules` already loaded. */
  rulesDir?: string | undefined;
  rules?: Rule[] | undefined;
  /** The default receiver's URL (ALERT_WEBHOOK_URL in the shipped routing file). */
  webhookUrl?: string | undefined;
  /** Base URL of the dashboard, for externalURL, generator and dashboard links. */
  externalUrl?: string | undefined;
  /** Routes and receivers: a config, a file, or null to send nothing. Default: ALERT_ROUTING_FILE or routing.yaml. */
  routing?: RoutingConfig | string | null | undefined;
  /** Where receiver secrets are read by name (default: process.env). */
  env?: Record<string, string | undefined> | undefined;
  /** Redis for the one-evaluator lock; null disables it. Default: REDIS_URL. */
  redisUrl?: string | null | undefined;
  lockKey?: string | undefined;
  now?: (() => number) | undefined;
  delivery?: Omit<DeliveryOptions, 'onAttempt'> | undefined;
  /** Where problems that must not stop evaluation go (template errors, failed writes). */
  log?: ((message: string) => void) | undefined;
}

/** What the engine knows of one alert instance right now. */
export interface ActiveAlert {
  rule: string;
  group: string;
  fingerprint: string;
  state: AlertStateName;
  /** For nodata and error: the state the alert was in and is held in. */
  held: SettledState['state'] | null;
  value: number | null;
  activeAt: number | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  lastEvalAt: number | null;
  lastError: string | null;
  /** How long the rule's last evaluation took, ms (the rule's cost). */
  lastEvalDurationMs: number | null;
  /** Annotation templates that failed to render (shown raw). */
  warnings: string[];
}

export interface AlertEngine {
  start(): void;
  stop(): Promise<void>;
  evaluateOnce(now?: number): Promise<void>;
  alerts(): ActiveAlert[];
  recent(limit?: number): Promise<AlertEvent[]>;
  rules(): Rule[];
  /** Configured receivers; `missingEnv` names the variable a switched-off one needs. */
  receivers(): { name: string; kind: string; missingEnv: string | null }[];
  /** Per rule: how long its last evaluation took, ms (null before the first). */
  evaluationTimes(): Record<string, number | null>;
  /** single: no lock; leader / standby: with the Redis lock. */
  role(): 'single' | 'leader' | 'standby';
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const { client } = options;
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
  const dispatcher: Dispatcher | null = routing
    ? createDispatcher({
        client,
        routing,
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

  const ruleSets = rules.map((rule) => createRuleInstances(rule, log));
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
    if (!status || !dispatcher || (s.state !== 'firing' && s.state !== 'resolved')) return;
    const alert: GroupAlert = {
      rule: instance.rule.alert,
      fingerprint: instance.fingerprint,
      status,
      labels: { ...instance.labels },
      annotations: { ...instance.annotations },
      value: instance.value,
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
      for (const set of groups.get(name) ?? []) {
        for (const transition of await set.evaluate(client, now)) await handle(transition, now);
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
      await lock?.release();
    },
    async evaluateOnce(now = clock()) {
      for (const name of groups.keys()) await evaluateGroup(name, now);
    },
    alerts: () =>
      ruleSets.flatMap((set) =>
        set.list().map((i) => ({
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
        })),
      ),
    recent: (limit = 50) => recentAlertEvents(client, limit),
    rules: () => [...rules],
    receivers: () => dispatcher?.receivers() ?? [],
    evaluationTimes: () => Object.fromEntries(ruleSets.map((r) => [r.rule.alert, r.lastEvalDurationMs()])),
    role: () => (lock ? (leader ? 'leader' : 'standby') : 'single'),
  };
}

function loadOrThrow(dir: string | undefined): Rule[] {
  if (!dir) throw new TypeError('createAlertEngine needs rulesDir or rules');
  const loaded = loadRules(dir);
  if (loaded.errors.length > 0) throw new RuleLoadError(loaded.errors);
  return loaded.rules;
}
