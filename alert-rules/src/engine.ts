// The alert engine: evaluates each rule group on its interval, moves every alert through the
// state machine, records transitions in cp_alert_events and sends Alertmanager webhooks on
// firing and resolve. On start it picks up each alert's last state, so a restart neither
// forgets a firing alert nor notifies it again.
import type { Store } from 'collector';
import { conditionHolds, evaluateRule } from './evaluate.ts';
import { fingerprint } from './fingerprint.ts';
import { loadRules, RuleLoadError } from './load-rules.ts';
import { createWebhookNotifier } from './notify/notifier.ts';
import type { DeliveryOptions } from './notify/webhook.ts';
import type { Rule } from './rule-schema.ts';
import {
  type AlertState,
  type AlertStateName,
  activeAt,
  inactive,
  nextState,
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
import { renderTemplate } from './template.ts';

type Client = Store['client'];

export interface AlertEngineOptions {
  client: Client;
  /** Directory of rule files; or pass `rules` already loaded. */
  rulesDir?: string | undefined;
  rules?: Rule[] | undefined;
  /** Alertmanager-compatible webhook receiver; unset → transitions are recorded, nothing is sent. */
  webhookUrl?: string | undefined;
  /** Base URL of the dashboard, for externalURL and each alert's generatorURL. */
  externalUrl?: string | undefined;
  receiver?: string | undefined;
  now?: (() => number) | undefined;
  delivery?: Omit<DeliveryOptions, 'onAttempt'> | undefined;
  /** Where problems that must not stop evaluation go (template errors, failed writes). */
  log?: ((message: string) => void) | undefined;
}

/** What the engine knows of one alert right now. */
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
}

interface Instance {
  rule: Rule;
  labels: Record<string, string>;
  fingerprint: string;
  state: AlertState;
  value: number | null;
  annotations: Record<string, string>;
  lastEvalAt: number | null;
  lastError: string | null;
  warnings: string[];
}

/** Labels of a rule's alert: the series' service, the rule's labels, and alertname. */
export function alertLabels(rule: Rule): Record<string, string> {
  return { ...(rule.service ? { service: rule.service } : {}), ...rule.labels, alertname: rule.alert };
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const { client } = options;
  const rules = options.rules ?? loadOrThrow(options.rulesDir);
  const clock = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.warn(`[alert-rules] ${message}`));
  const externalUrl = (options.externalUrl ?? 'http://localhost:3000').replace(/\/$/, '');
  const notifier = options.webhookUrl
    ? createWebhookNotifier({
        client,
        url: options.webhookUrl,
        receiver: options.receiver ?? 'webhook',
        externalUrl,
        delivery: options.delivery,
        log,
      })
    : null;

  const instances = rules.map((rule): Instance => {
    const labels = alertLabels(rule);
    return {
      rule,
      labels,
      fingerprint: fingerprint(labels),
      state: inactive,
      value: null,
      annotations: { ...rule.annotations },
      lastEvalAt: null,
      lastError: null,
      warnings: [],
    };
  });
  // Group names are unique per file, as in Prometheus; the same name in two files is two groups.
  const groups = Map.groupBy(instances, (i) => `${i.rule.file}\u0000${i.rule.group}`);
  const groupRuns = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let restored: Promise<void> | null = null;
  let running = false;

  function restore(): Promise<void> {
    restored ??= lastAlertStates(client).then(
      (rows) => {
        const byFingerprint = new Map(rows.map((r) => [r.fingerprint, r]));
        for (const instance of instances) {
          const row = byFingerprint.get(instance.fingerprint);
          if (!row) continue;
          instance.state = row.state;
          instance.value = row.value;
          if (Object.keys(row.annotations).length > 0) instance.annotations = row.annotations;
        }
      },
      (error: unknown) => {
        restored = null; // try again on the next evaluation rather than notify from a blank slate
        throw error;
      },
    );
    return restored;
  }

  async function evaluateInstance(instance: Instance, now: number): Promise<void> {
    const { rule } = instance;
    let value: number | null = null;
    let error: string | undefined;
    try {
      ({ value } = await evaluateRule(client, rule, now));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const prev = instance.state;
    const conditionTrue =
      error === undefined && value !== null ? conditionHolds(value, rule.op, rule.threshold) : null;
    const next = nextState(prev, {
      conditionTrue,
      error,
      now,
      for: rule.forMs,
      keepFiringFor: rule.keepFiringForMs,
    });
    instance.state = next;
    instance.value = value;
    instance.lastEvalAt = now;
    instance.lastError = error ?? null;
    // As in Prometheus, a resolved (or kept-firing) alert keeps the annotations it had while true.
    const keepAnnotations = conditionTrue !== true && ['firing', 'resolved'].includes(settled(next).state);
    if (!keepAnnotations) renderAnnotations(instance);

    if (next.state !== prev.state) {
      await recordAlertEvent(client, {
        at: now,
        rule: rule.alert,
        fingerprint: instance.fingerprint,
        state: next.state,
        previousState: prev.state,
        value,
        labels: instance.labels,
        annotations: instance.annotations,
        activeAt: activeAt(next),
      }).catch((e: unknown) => log(`recording ${rule.alert} → ${next.state} failed: ${String(e)}`));
    }
    const status = notificationFor(prev, next);
    if (status && notifier) {
      const { rule: r, fingerprint, labels, annotations } = instance;
      await notifier.notify(
        { rule: r.alert, fingerprint, labels, annotations, state: settled(next) },
        status,
      );
    }
  }

  function renderAnnotations(instance: Instance): void {
    const warnings: string[] = [];
    const annotations: Record<string, string> = {};
    for (const [name, template] of Object.entries(instance.rule.annotations)) {
      const rendered = renderTemplate(template, { labels: instance.labels, value: instance.value });
      annotations[name] = rendered.text;
      if (rendered.error) warnings.push(`annotation ${name}: ${rendered.error}`);
    }
    for (const w of warnings) if (!instance.warnings.includes(w)) log(`${instance.rule.alert}: ${w}`);
    instance.annotations = annotations;
    instance.warnings = warnings;
  }

  /** Runs a group's rules in order; runs of one group never overlap. */
  function evaluateGroup(name: string, now: number): Promise<void> {
    const previous = groupRuns.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      await restore();
      for (const instance of groups.get(name) ?? []) await evaluateInstance(instance, now);
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
    },
    async evaluateOnce(now = clock()) {
      for (const name of groups.keys()) await evaluateGroup(name, now);
    },
    alerts: () =>
      instances.map((i) => ({
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
        warnings: [...i.warnings],
      })),
    recent: (limit = 50) => recentAlertEvents(client, limit),
    rules: () => [...rules],
  };
}

function loadOrThrow(dir: string | undefined): Rule[] {
  if (!dir) throw new TypeError('createAlertEngine needs rulesDir or rules');
  const loaded = loadRules(dir);
  if (loaded.errors.length > 0) throw new RuleLoadError(loaded.errors);
  return loaded.rules;
}
