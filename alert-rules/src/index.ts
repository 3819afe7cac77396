// Public surface of alert-rules: load and validate rule files, evaluate them, and run the engine.
export { formatDuration, parseDuration } from './duration.ts';
export type { ActiveAlert, AlertEngine, AlertEngineOptions } from './engine.ts';
export { alertLabels, createAlertEngine } from './engine.ts';
export type { RuleValue } from './evaluate.ts';
export { conditionHolds, evaluateRule } from './evaluate.ts';
export { fingerprint } from './fingerprint.ts';
export type { LoadedRules, RuleFileError } from './load-rules.ts';
export { formatRuleError, loadRules, parseRuleFile, RuleLoadError } from './load-rules.ts';
export type { AlertToNotify, WebhookNotifier, WebhookNotifierOptions } from './notify/notifier.ts';
export { createWebhookNotifier } from './notify/notifier.ts';
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
export { buildWebhookPayload, parseRetryAfter, sendWebhook, zeroTime } from './notify/webhook.ts';
export type { CompareOp, Rule, RuleFile } from './rule-schema.ts';
export { compareOps, groupSchema, ruleFileSchema, ruleSchema, toFilters, toRule } from './rule-schema.ts';
export type { AlertState, AlertStateName, Observation, SettledState } from './state-machine.ts';
export { activeAt, alertStates, inactive, nextState, notificationFor, settled } from './state-machine.ts';
export type { AlertEvent, NotificationRecord } from './store/alert-events.ts';
export { recentAlertEvents, recentNotifications } from './store/alert-events.ts';
export type { Rendered, TemplateData } from './template.ts';
export { checkTemplate, formatG, humanize, humanizeDuration, renderTemplate } from './template.ts';
