// The alert engine's public shapes: its options, what it reports of each alert and rule, and its
// methods (evaluation, silences, acknowledgements).
import type { Store } from 'collector';
import type { AddedReceiver, ReceiverInfo } from '../notify/dispatcher.ts';
import type { RoutingConfig } from '../notify/routing-config.ts';
import type { TestAnswer } from '../notify/test-notification.ts';
import type { DeliveryOptions } from '../notify/webhook.ts';
import type { Rule } from '../rule-schema.ts';
import type { AckInput, Acknowledgement, SilenceInput } from '../silence/silence.ts';
import type { AlertStateName, SettledState } from '../state-machine.ts';
import type { AlertEvent } from '../store/alert-events.ts';
import type { SubscribeAcceptedMetrics } from './live-rules.ts';
import type { EvaluationSource, RuleEvaluated } from './rule-instances.ts';
import type { SilenceView } from './suppression.ts';

type Client = Store['client'];

export interface AlertEngineOptions {
  client: Client;
  /**
   * Runs the raw `sql:` rules: on a ClickHouse server, a user granted SELECT on the tables rules may
   * read and nothing else (CLICKHOUSE_RULES_URL). Default: `client`.
   */
  sqlRuleClient?: Client | undefined;
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
  /**
   * Longest time between rereads of silences and acknowledgements from the store (default 30 s);
   * changes made through this engine apply at once, other replicas' through the lock's counter.
   */
  suppressionReloadMs?: number | undefined;
  now?: (() => number) | undefined;
  delivery?: Omit<DeliveryOptions, 'onAttempt'> | undefined;
  /** Where problems that must not stop evaluation go (template errors, failed writes). */
  log?: ((message: string) => void) | undefined;
  /** Called after each rule's evaluation with its timing (export it as a metric, log it). */
  onEvaluated?: ((e: RuleEvaluated) => void) | undefined;
  /**
   * The collector's accepted batches (`collector.onAcceptedMetrics`, same process): stat rules with
   * windows up to `fastPath.maxWindowMs` are then evaluated as their data lands, from windows held
   * in memory and seeded from the store, besides their interval tick. See README "Fast path".
   */
  acceptedMetrics?: SubscribeAcceptedMetrics | undefined;
  fastPath?:
    | {
        debounceMs?: number | undefined;
        maxWindowMs?: number | undefined;
        reseedAfterMs?: number | undefined;
      }
    | undefined;
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
  /** Ids of the active silences that match this alert (it still changes state, but notifies nobody). */
  silencedBy: string[];
  /** Someone is on it: no repeat notifications until it resolves. */
  acknowledged: Acknowledgement | null;
  /**
   * The switched-on receivers its routes lead to (routing env vars set); empty when nothing would
   * be sent — no routing, or every receiver it is routed to is off.
   */
  receivers: string[];
}

/** One rule's last evaluation as a whole (a SQL or `by` rule may have no alert instance yet). */
export interface RuleEvaluation {
  at: number | null;
  durationMs: number | null;
  error: string | null;
  /** store: a query; memory: the rule's window held in memory (fast path); null before the first. */
  source: EvaluationSource | null;
}

export interface AlertEngine {
  start(): void;
  stop(): Promise<void>;
  evaluateOnce(now?: number): Promise<void>;
  alerts(): ActiveAlert[];
  recent(limit?: number): Promise<AlertEvent[]>;
  rules(): Rule[];
  /**
   * A rule's value (or threshold) as people read it, in the rule's unit ("251 ms", "19.6 %"), or
   * the alert's own for a SQL rule whose rows carry a `unit` label; "no data" for null. The
   * dashboard reads values through this (it cannot load alert-rules' values).
   */
  formatValue(rule: string, value: number | null, labels?: Record<string, string>): string;
  /** A rule's condition in one line, its threshold in the rule's unit; "" for an unknown rule. */
  describeCondition(rule: string): string;
  /**
   * Configured receivers, the routing file's and those added at run time; `missingEnv` names the
   * variable a switched-off one needs.
   */
  receivers(): ReceiverInfo[];
  /** Replaces the receivers added at run time (the dashboard's), without a restart. */
  setAddedReceivers(added: AddedReceiver[]): void;
  /**
   * Sends a test notification through a switched-on receiver (the file's or an added one) and returns
   * its answer; null when no switched-on receiver has that name.
   */
  testReceiver(name: string, by: string): Promise<TestAnswer | null>;
  /** Per rule: how long its last evaluation took, ms (null before the first). */
  evaluationTimes(): Record<string, number | null>;
  /** Per rule: when it was last evaluated, how long that took and its error. */
  ruleEvaluations(): Record<string, RuleEvaluation>;
  /** Validates (zod) and stores a silence; throws AlertActionError on bad input. */
  createSilence(input: SilenceInput, now?: number): Promise<SilenceView>;
  expireSilence(id: string, now?: number): Promise<SilenceView>;
  /** Pending, active and recently expired silences, newest first. */
  silences(now?: number): Promise<SilenceView[]>;
  /** Acknowledges a firing alert instance by fingerprint. */
  acknowledge(input: AckInput, now?: number): Promise<Acknowledgement>;
  unacknowledge(fingerprint: string, now?: number): Promise<void>;
  /** single: no lock; leader / standby: with the Redis lock. */
  role(): 'single' | 'leader' | 'standby';
}
