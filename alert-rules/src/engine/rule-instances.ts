// The alert instances of one rule: one for a rule without `by`, one per group of label values
// with it. Each observation moves every instance through the state machine and says which
// transitions happened; the engine records and notifies them.
import type { Store } from 'collector';
import { conditionHolds, evaluateRuleGroups, type GroupedRuleValue } from '../evaluate.ts';
import { fingerprint } from '../fingerprint.ts';
import type { Rule } from '../rule-schema.ts';
import { unitOf } from '../rule-text.ts';
import { type AlertState, inactive, nextState, settled } from '../state-machine.ts';
import type { RestoredAlert } from '../store/alert-events.ts';
import { renderTemplate } from '../template.ts';

export interface Instance {
  rule: Rule;
  labels: Record<string, string>;
  fingerprint: string;
  state: AlertState;
  value: number | null;
  annotations: Record<string, string>;
  lastEvalAt: number | null;
  lastError: string | null;
  /** Wall time of the rule's last evaluation (its query and arithmetic), ms. */
  lastEvalDurationMs: number | null;
  warnings: string[];
}

export interface Transition {
  instance: Instance;
  prev: AlertState;
  next: AlertState;
}

/** Labels of a rule's alert: the series' service, the group's labels, the rule's labels, and alertname. */
export function alertLabels(rule: Rule, group: Record<string, string> = {}): Record<string, string> {
  return {
    ...(rule.type === 'stat' && rule.service ? { service: rule.service } : {}),
    ...group,
    ...rule.labels,
    alertname: rule.alert,
  };
}

function newInstance(rule: Rule, labels: Record<string, string>): Instance {
  return {
    rule,
    labels,
    fingerprint: fingerprint(labels),
    state: inactive,
    value: null,
    annotations: { ...rule.annotations },
    lastEvalAt: null,
    lastError: null,
    lastEvalDurationMs: null,
    warnings: [],
  };
}

type Log = (message: string) => void;

/** One rule's evaluation, as it happened (wall-clock ms): for metrics, logs and tests. */
export interface RuleEvaluated {
  rule: string;
  group: string;
  /** The evaluation instant the rule was evaluated for (the engine's clock). */
  at: number;
  /** Wall clock when the query was issued, and how long the query and arithmetic took. */
  startedAt: number;
  durationMs: number;
  error: string | null;
  /** Where the value came from: a store query, or the rule's window held in memory (the fast path). */
  source: EvaluationSource;
}

export type EvaluationSource = 'store' | 'memory';

export interface RuleInstances {
  readonly rule: Rule;
  list(): Instance[];
  /** Wall time of the last evaluation, ms (also on each instance). */
  lastEvalDurationMs(): number | null;
  /** The last evaluation's time and error, for the rule as a whole (a SQL rule may have no instance). */
  lastEval(): { at: number | null; error: string | null; source: EvaluationSource | null };
  /** Resets every instance to what the store says (a restart, or taking over as the evaluator). */
  restore(rows: RestoredAlert[]): void;
  /**
   * Observes the rule's value at `now`: from `live` (the rule's window held in memory) when given,
   * else from the store.
   */
  evaluate(client: Store['client'], now: number, live?: LiveValues): Promise<Transition[]>;
}

/** The rule's values per group at `now`, computed in memory (engine/live-rules.ts). */
export type LiveValues = (now: number) => GroupedRuleValue[];

export function createRuleInstances(
  rule: Rule,
  log: Log,
  onEvaluated?: ((e: RuleEvaluated) => void) | undefined,
): RuleInstances {
  // A SQL rule's rows are its instances, as a `by` rule's groups are.
  const grouped = rule.type === 'sql' || rule.by.length > 0;
  const instances = new Map<string, Instance>();
  const single = grouped ? null : newInstance(rule, alertLabels(rule));
  let lastDuration: number | null = null;
  let lastAt: number | null = null;
  let lastError: string | null = null;
  let lastSource: EvaluationSource | null = null;
  if (single) instances.set(single.fingerprint, single);

  function observe(instance: Instance, value: number | null, now: number, error?: string, gone = false) {
    const prev = instance.state;
    const conditionTrue =
      error !== undefined
        ? byPolicy(rule.onError)
        : value !== null
          ? conditionHolds(value, rule.op, rule.threshold)
          : gone
            ? false
            : byPolicy(rule.noData);
    const next = nextState(prev, {
      conditionTrue,
      error: conditionTrue === null ? error : undefined,
      now,
      for: rule.forMs,
      keepFiringFor: rule.keepFiringForMs,
    });
    instance.state = next;
    instance.value = value;
    instance.lastEvalAt = now;
    instance.lastError = error ?? null;
    // As in Prometheus, a resolved (or kept-firing) alert keeps the annotations it had while true.
    const keep = conditionTrue !== true && ['firing', 'resolved'].includes(settled(next).state);
    if (!keep) renderAnnotations(instance, log);
    return { instance, prev, next };
  }

  return {
    rule,
    list: () => [...instances.values()],
    lastEvalDurationMs: () => lastDuration,
    lastEval: () => ({ at: lastAt, error: lastError, source: lastSource }),
    restore(rows) {
      const ours = rows.filter((r) => r.rule === rule.alert);
      if (single) {
        const row = ours.find((r) => r.fingerprint === single.fingerprint);
        single.state = row?.state ?? inactive;
        if (row) single.value = row.value;
        if (row && Object.keys(row.annotations).length > 0) single.annotations = row.annotations;
        return;
      }
      instances.clear();
      for (const row of ours) {
        if (settled(row.state).state === 'inactive') continue;
        const instance = newInstance(rule, row.labels);
        Object.assign(instance, { state: row.state, value: row.value, annotations: row.annotations });
        instances.set(instance.fingerprint, instance);
      }
    },
    async evaluate(client, now, live) {
      let groups: GroupedRuleValue[] = [];
      let error: string | undefined;
      const started = performance.now();
      const startedAt = Date.now();
      try {
        groups = live ? live(now) : await evaluateRuleGroups(client, rule, now);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      lastDuration = performance.now() - started;
      lastAt = now;
      lastError = error ?? null;
      lastSource = live ? 'memory' : 'store';
      try {
        onEvaluated?.({
          rule: rule.alert,
          group: rule.group,
          at: now,
          startedAt,
          durationMs: lastDuration,
          error: lastError,
          source: lastSource,
        });
      } catch (e) {
        log(`onEvaluated failed: ${String(e)}`);
      }
      for (const i of instances.values()) i.lastEvalDurationMs = lastDuration;
      if (single) return [observe(single, groups[0]?.value ?? null, now, error)];
      // No group at all is a gap in telemetry (nodata holds each state); a group missing while
      // others report is a series that went away, so its condition is false, as in Prometheus.
      if (error !== undefined || groups.length === 0)
        return [...instances.values()].map((i) => observe(i, null, now, error));
      const transitions: Transition[] = [];
      const seen = new Set<string>();
      for (const g of groups) {
        const labels = alertLabels(rule, g.labels);
        const fp = fingerprint(labels);
        seen.add(fp);
        let instance = instances.get(fp);
        if (!instance) {
          instance = newInstance(rule, labels);
          instance.lastEvalDurationMs = lastDuration;
          instances.set(fp, instance);
        }
        transitions.push(observe(instance, g.value, now));
      }
      for (const [fp, instance] of instances) {
        if (seen.has(fp)) continue;
        transitions.push(observe(instance, null, now, undefined, true));
        if (instance.state.state === 'inactive') instances.delete(fp);
      }
      return transitions;
    },
  };
}

/** An unknown condition under the rule's policy: null keeps it unknown (the nodata / error state). */
function byPolicy(policy: Rule['noData']): boolean | null {
  return policy === 'alerting' ? true : policy === 'ok' ? false : null;
}

function renderAnnotations(instance: Instance, log: Log): void {
  const warnings: string[] = [];
  const annotations: Record<string, string> = {};
  for (const [name, template] of Object.entries(instance.rule.annotations)) {
    const rendered = renderTemplate(template, {
      labels: instance.labels,
      value: instance.value,
      unit: unitOf(instance.rule, instance.labels),
    });
    annotations[name] = rendered.text;
    if (rendered.error) warnings.push(`annotation ${name}: ${rendered.error}`);
  }
  for (const w of warnings) if (!instance.warnings.includes(w)) log(`${instance.rule.alert}: ${w}`);
  instance.annotations = annotations;
  instance.warnings = warnings;
}
