// Public surface of alert-rules: load and validate rule files, evaluate them, and run the engine.
export { formatDuration, parseDuration } from './duration.ts';
export type { EvaluatorLock } from './engine/evaluator-lock.ts';
export { createEvaluatorLock } from './engine/evaluator-lock.ts';
export type { SilenceView, Suppression } from './engine/suppression.ts';
export { createSuppression } from './engine/suppression.ts';
export type {
  ActiveAlert,
  AlertEngine,
  AlertEngineOptions,
  RuleEvaluated,
  RuleEvaluation,
} from './engine.ts';
export { alertLabels, createAlertEngine, shippedRoutingFile } from './engine.ts';
export type { AlertRulesEnv } from './env.ts';
export { parseAlertRulesEnv } from './env.ts';
export type { GroupedRuleValue, RuleValue } from './evaluate.ts';
export { conditionHolds, evaluateRule, evaluateRuleGroups, labelNameOf } from './evaluate.ts';
export { fingerprint } from './fingerprint.ts';
export type { LoadedRules, RuleFileError } from './load-rules.ts';
export { formatRuleError, loadRules, parseRuleFile, RuleLoadError } from './load-rules.ts';
export type { AddedReceiver, Dispatcher, DispatcherOptions, ReceiverInfo } from './notify/dispatcher.ts';
export { createDispatcher } from './notify/dispatcher.ts';
export type { ReceiverKind } from './notify/receiver-kind.ts';
export { RECEIVER_KINDS } from './notify/receiver-kind.ts';
export type {
  GroupAlert,
  GroupNotification,
  Receiver,
  ReceiverSpec,
} from './notify/receivers.ts';
export {
  buildReceiver,
  createReceiver,
  maskedHint,
  pagerDutyEvent,
  pagerDutyEventsUrl,
  slackMessage,
} from './notify/receivers.ts';
export type {
  Matcher,
  MatchOp,
  ReceiverConfig,
  ResolvedRoute,
  RouteConfig,
  RoutingConfig,
} from './notify/routing-config.ts';
export {
  loadRoutingConfig,
  matches,
  matchRoutes,
  parseMatcher,
  parseRoutingConfig,
  RoutingConfigError,
  routeDefaults,
} from './notify/routing-config.ts';
export type { TestAnswer } from './notify/test-notification.ts';
export { sendTestNotification, TEST_ALERT_NAME } from './notify/test-notification.ts';
export type {
  DeliveryAttempt,
  DeliveryOptions,
  DeliveryResult,
  NotificationStatus,
  NotifiedAlert,
  PayloadInput,
  WebhookAlert,
  WebhookPayload,
} from './notify/webhook.ts';
export { buildWebhookPayload, parseRetryAfter, postJson, sendWebhook, zeroTime } from './notify/webhook.ts';
export type { SqlRuleRow } from './query/sql-rule.ts';
export { querySqlRule, SqlRuleError, sqlRuleVerdict } from './query/sql-rule.ts';
export type { SqlRuleVerdict } from './query/sql-rule-judge.ts';
export { judgeSqlRule, ruleReadableTables, sqlRuleParams } from './query/sql-rule-judge.ts';
export type { CompareOp, Rule, RuleFile, SqlRule, StatRule } from './rule-schema.ts';
export {
  compareOps,
  groupSchema,
  ruleFileSchema,
  ruleSchema,
  sqlRuleSchema,
  toFilters,
  toRule,
} from './rule-schema.ts';
export type { RuleTestCaseResult, RuleTestFileResult } from './rule-test/run-tests.ts';
export { formatRuleTestResult, runRuleTests, testEpoch } from './rule-test/run-tests.ts';
export type { InputSeries, SeriesClock } from './rule-test/series.ts';
export { expandValues, insertSeries, parseSelector, seriesRows } from './rule-test/series.ts';
export type { RuleTestFile } from './rule-test/test-file.ts';
export { parseRuleTestFile, ruleTestFileSchema } from './rule-test/test-file.ts';
export { describeCondition, formatRuleValue, unitOf } from './rule-text.ts';
export { AlertActionError, isAlertActionError } from './silence/alert-action-error.ts';
export type {
  AckInput,
  Acknowledgement,
  Silence,
  SilenceInput,
  SilenceState,
} from './silence/silence.ts';
export {
  ackInputSchema,
  silenceInputSchema,
  silenceMatches,
  silenceState,
  silenceStates,
} from './silence/silence.ts';
export type { AlertState, AlertStateName, Observation, SettledState } from './state-machine.ts';
export { activeAt, alertStates, inactive, nextState, notificationFor, settled } from './state-machine.ts';
export type { AlertEvent, NotificationRecord, RestoredAlert } from './store/alert-events.ts';
export { recentAlertEvents, recentNotifications } from './store/alert-events.ts';
export type { Rendered, TemplateData } from './template.ts';
export { checkTemplate, formatG, humanize, humanizeDuration, renderTemplate } from './template.ts';
export { formatValue, isKnownUnit, metricUnit, statUnit } from './units.ts';
