// Alerting: every rule with its current state, the pending and firing alerts, and recent
// transitions, streamed every 2 s (the engine evaluates on its own loop in server.ts).
import {
  type ActiveAlertView,
  type AlertsSnapshot,
  byUrgency,
  describeCondition,
  formatRuleValue,
  mostUrgent,
  type RuleView,
  type TransitionView,
} from '../../lib/alert-view.ts';
import { polled } from '../live.ts';
import type { Services } from '../services.ts';
import { publicProcedure, router } from '../trpc.ts';

const RECENT_TRANSITIONS = 30;

const latest = (times: (number | null)[]): number | null => {
  const known = times.filter((t): t is number => t !== null);
  return known.length > 0 ? Math.max(...known) : null;
};
export const ALERTS_INTERVAL_MS = 2000;

export async function readAlerts(services: Services, now: number): Promise<AlertsSnapshot> {
  const engine = services.alerts;
  const rules = engine.rules();
  const ruleOf = new Map(rules.map((r) => [r.alert, r]));
  const alerts = engine.alerts();
  const fmt = (name: string, value: number | null) => {
    const rule = ruleOf.get(name);
    return rule ? formatRuleValue(value, rule) : value === null ? 'no data' : String(value);
  };

  const ruleViews: RuleView[] = rules.map((rule) => {
    const own = alerts.filter((a) => a.rule === rule.alert);
    const lead = [...own].sort(byUrgency)[0];
    return {
      name: rule.alert,
      group: rule.group,
      condition: describeCondition(rule),
      forMs: rule.forMs,
      severity: rule.labels.severity ?? null,
      summary: lead?.annotations.summary ?? rule.annotations.summary ?? null,
      state: mostUrgent(own.map((a) => a.state)),
      value: fmt(rule.alert, lead?.value ?? null),
      activeAt: lead?.activeAt ?? null,
      lastEvalAt: latest(own.map((a) => a.lastEvalAt)),
      lastError: own.find((a) => a.lastError)?.lastError ?? null,
    };
  });

  const active: ActiveAlertView[] = alerts
    .filter((a) => a.state === 'firing' || a.state === 'pending')
    .sort(byUrgency)
    .map((a) => ({
      rule: a.rule,
      state: a.state,
      value: fmt(a.rule, a.value),
      activeAt: a.activeAt,
      labels: a.labels,
      summary: a.annotations.summary ?? null,
    }));

  let recent: TransitionView[] = [];
  let error: string | null = null;
  try {
    recent = (await engine.recent(RECENT_TRANSITIONS)).map((e) => ({
      at: e.at,
      rule: e.rule,
      from: e.previousState,
      to: e.state,
      value: fmt(e.rule, e.value),
    }));
  } catch (err) {
    error = `could not read alert history: ${(err as Error).message}`;
  }
  return { at: now, rules: ruleViews, active, recent, error };
}

export const alertsRouter = router({
  live: publicProcedure.subscription(async function* ({ ctx, signal }) {
    yield* polled(() => readAlerts(ctx.services, Date.now()), ALERTS_INTERVAL_MS, signal);
  }),
});
