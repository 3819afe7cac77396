// Alerting: every rule with its state, value and evaluation time; the alert instances (pending,
// firing, recently resolved) with their silences and acknowledgements; the silences; and recent
// transitions with the firing/pending timeline — streamed every 2 s (the engine evaluates on its
// own loop). Silencing and acknowledging are qa actions, recorded in the audit log.
import { TRPCError } from '@trpc/server';
import { isAlertActionError } from 'alert-rules/model';
import { z } from 'zod';
import {
  type ActiveAlertView,
  type AlertsSnapshot,
  alertTimeline,
  byUrgency,
  deliveryOf,
  mostUrgent,
  type ResolvedAlertView,
  type RuleView,
  type TransitionView,
} from '../../lib/alert-view.ts';
import { polled } from '../live.ts';
import type { Services } from '../services.ts';
import { snapshotCacheOf } from '../shared-snapshot.ts';
import { qaProcedure, router, viewerProcedure } from '../trpc.ts';

const RECENT_TRANSITIONS = 300;
const TIMELINE_MS = 3_600_000;
const RESOLVED_SHOWN = 20;
export const ALERTS_INTERVAL_MS = 2000;

const latest = (times: (number | null)[]): number | null => {
  const known = times.filter((t): t is number => t !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

export async function readAlerts(services: Services, now: number): Promise<AlertsSnapshot> {
  const engine = services.alerts;
  const rules = engine.rules();
  const alerts = engine.alerts();
  const evaluations = engine.ruleEvaluations();
  // Values and thresholds in each rule's unit (a SQL rule's row may bring its own as a label), by
  // alert-rules' one formatter, through the engine: this router may not load alert-rules' values
  // (see trpc/server.ts).
  const fmt = (name: string, value: number | null, labels?: Record<string, string>) =>
    engine.formatValue(name, value, labels);

  const ruleViews: RuleView[] = rules.map((rule) => {
    const own = alerts.filter((a) => a.rule === rule.alert);
    const lead = [...own].sort(byUrgency)[0];
    const evaluation = evaluations[rule.alert];
    return {
      name: rule.alert,
      group: rule.group,
      condition: engine.describeCondition(rule.alert),
      forMs: rule.forMs,
      severity: rule.labels.severity ?? null,
      summary: lead?.annotations.summary ?? rule.annotations.summary ?? null,
      state: evaluation?.error && own.length === 0 ? 'error' : mostUrgent(own.map((a) => a.state)),
      value: fmt(rule.alert, lead?.value ?? null, lead?.labels),
      activeAt: lead?.activeAt ?? null,
      lastEvalAt: evaluation?.at ?? latest(own.map((a) => a.lastEvalAt)),
      lastError: evaluation?.error ?? own.find((a) => a.lastError)?.lastError ?? null,
      evalDurationMs: evaluation?.durationMs ?? null,
    };
  });

  const active: ActiveAlertView[] = alerts
    .filter((a) => ['firing', 'pending', 'nodata', 'error'].includes(a.state) && a.activeAt !== null)
    .sort(byUrgency)
    .map((a) => ({
      rule: a.rule,
      state: a.state,
      value: fmt(a.rule, a.value, a.labels),
      activeAt: a.activeAt,
      labels: a.labels,
      summary: a.annotations.summary ?? null,
      fingerprint: a.fingerprint,
      silencedBy: a.silencedBy,
      acknowledged: a.acknowledged
        ? { by: a.acknowledged.by, comment: a.acknowledged.comment, at: a.acknowledged.at }
        : null,
      delivery: deliveryOf(a),
    }));

  let recent: TransitionView[] = [];
  let resolved: ResolvedAlertView[] = [];
  let silences: AlertsSnapshot['silences'] = [];
  let error: string | null = null;
  try {
    const events = await engine.recent(RECENT_TRANSITIONS);
    recent = events.map((e) => ({
      at: e.at,
      rule: e.rule,
      fingerprint: e.fingerprint,
      from: e.previousState,
      to: e.state,
      value: fmt(e.rule, e.value, e.labels),
    }));
    resolved = events
      .filter((e) => e.state === 'resolved')
      .slice(0, RESOLVED_SHOWN)
      .map((e) => ({
        rule: e.rule,
        fingerprint: e.fingerprint,
        labels: e.labels,
        activeAt: e.activeAt,
        resolvedAt: e.at,
        value: fmt(e.rule, e.value, e.labels),
      }));
    silences = (await engine.silences(now)).map((s) => ({
      id: s.id,
      matchers: s.matchers,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      createdBy: s.createdBy,
      comment: s.comment,
      state: s.state,
      ...(s.problem ? { problem: s.problem } : {}),
    }));
  } catch (err) {
    error = `could not read alert history: ${(err as Error).message}`;
  }
  const timeline = alertTimeline(recent, now - TIMELINE_MS, now);
  return {
    at: now,
    rules: ruleViews,
    active,
    resolved,
    silences,
    recent: recent.slice(0, 30),
    timeline,
    error,
  };
}

/** Bad input (alert-rules' AlertActionError) becomes a 400 with its reason; anything else stays a 500. */
async function asAction<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAlertActionError(error))
      throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
    throw error;
  }
}

const matcherInput = z.object({
  name: z.string().min(1, 'label name'),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});
/** Viewers share the alerts snapshot; a change made here drops it so the next read shows it. */
const LIVE_KEY = 'alerts.live';
const changeProcedure = qaProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  snapshotCacheOf(ctx.services).invalidate(LIVE_KEY);
  return result;
});

const fingerprintInput = z.string().regex(/^[0-9a-f]{16}$/, 'an alert fingerprint');

export const alertsRouter = router({
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    const shared = snapshotCacheOf(ctx.services);
    const read = () => shared.get(LIVE_KEY, ALERTS_INTERVAL_MS, () => readAlerts(ctx.services, Date.now()));
    yield* polled(read, ALERTS_INTERVAL_MS, signal);
  }),

  /** Silences alerts matching every matcher, from startsAt (default now) to endsAt. */
  silence: changeProcedure
    .input(
      z.object({
        matchers: z.array(matcherInput).min(1, 'at least one matcher'),
        startsAt: z.number().int().positive().optional(),
        endsAt: z.number().int().positive(),
        comment: z.string().trim().min(1, 'say why'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const silence = await asAction(() =>
        ctx.services.alerts.createSilence({ ...input, createdBy: ctx.user.name }),
      );
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'alert.silence',
        target: silence.id,
        details: {
          matchers: silence.matchers,
          startsAt: silence.startsAt,
          endsAt: silence.endsAt,
          comment: input.comment,
        },
      });
      return silence;
    }),

  expireSilence: changeProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(async ({ ctx, input }) => {
      const silence = await asAction(() => ctx.services.alerts.expireSilence(input.id));
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'alert.unsilence',
        target: silence.id,
      });
      return silence;
    }),

  acknowledge: changeProcedure
    .input(z.object({ fingerprint: fingerprintInput, comment: z.string().trim().max(2000).default('') }))
    .mutation(async ({ ctx, input }) => {
      const ack = await asAction(() =>
        ctx.services.alerts.acknowledge({
          fingerprint: input.fingerprint,
          by: ctx.user.name,
          comment: input.comment,
        }),
      );
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'alert.ack',
        target: ack.fingerprint,
        details: { rule: ack.rule, comment: ack.comment },
      });
      return ack;
    }),

  unacknowledge: changeProcedure
    .input(z.object({ fingerprint: fingerprintInput }))
    .mutation(async ({ ctx, input }) => {
      await asAction(() => ctx.services.alerts.unacknowledge(input.fingerprint));
      // The audit log has no un-ack action of its own: an ack with `cleared` says it was withdrawn.
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'alert.ack',
        target: input.fingerprint,
        details: { cleared: true },
      });
      return { fingerprint: input.fingerprint };
    }),
});
