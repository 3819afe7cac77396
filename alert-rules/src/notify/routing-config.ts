// The routing file (alert-rules/routing.yaml), Alertmanager-shaped: a route tree that matches
// alert labels and picks receivers, with grouping and timing, and the receivers themselves.
// Secrets (webhook URLs, routing keys) are never in the file: each is the name of an environment
// variable (`url_env: SLACK_WEBHOOK_URL`), read when the engine starts.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { labelRegex, labelRegexError } from './label-regex.ts';
import { RECEIVER_KINDS, type ReceiverKind } from './receiver-kind.ts';

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 0s, 5s, 4h)` });
    return z.NEVER;
  }
  return ms;
});

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. SLACK_WEBHOOK_URL');
const matcherPattern = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

export type MatchOp = '=' | '!=' | '=~' | '!~';
export const isRegexOp = (op: MatchOp) => op === '=~' || op === '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** `severity="page"`, `service=~"car.*"` (anchored regex), `env!="dev"`, as Alertmanager writes them. */
export function parseMatcher(text: string): Matcher | null {
  const m = matcherPattern.exec(text);
  if (!m) return null;
  return { name: m[1]!, op: m[2] as MatchOp, value: (m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1') };
}

const matcher = z.string().transform((text, ctx) => {
  const parsed = parseMatcher(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a matcher (use e.g. severity="page")` });
    return z.NEVER;
  }
  const refused = isRegexOp(parsed.op) ? labelRegexError(parsed.value) : null;
  if (refused) {
    ctx.addIssue({ code: 'custom', message: `"${text}": ${refused}` });
    return z.NEVER;
  }
  return parsed;
});

export interface RouteConfig {
  receiver?: string | undefined;
  matchers: Matcher[];
  group_by?: string[] | undefined;
  group_wait?: number | undefined;
  group_interval?: number | undefined;
  repeat_interval?: number | undefined;
  continue: boolean;
  routes: RouteConfig[];
}

const routeSchema: z.ZodType<RouteConfig, unknown> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().min(1).optional(),
    matchers: z.array(matcher).default([]),
    group_by: z.array(z.string().min(1)).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    continue: z.boolean().default(false),
    routes: z.array(routeSchema).default([]),
  }),
);

/** The routing file's settings of each receiver kind: only names of environment variables. */
const receiverSettings = {
  webhook: z.strictObject({ url_env: envName }),
  slack: z.strictObject({ url_env: envName, channel: z.string().optional() }),
  pagerduty: z.strictObject({
    routing_key_env: envName,
    /** Events API endpoint override (default https://events.pagerduty.com/v2/enqueue). */
    url_env: envName.optional(),
  }),
} as const satisfies Record<ReceiverKind, z.ZodType>;

export type ReceiverSettings = { [K in ReceiverKind]: z.output<(typeof receiverSettings)[K]> };

/** A receiver of the routing file, tagged by its kind (the file says it Alertmanager's way: one key). */
export type ReceiverConfig = {
  [K in ReceiverKind]: { name: string; kind: K; settings: ReceiverSettings[K] };
}[ReceiverKind];

const receiverSchema = z
  .strictObject({
    name: z.string().min(1),
    webhook: receiverSettings.webhook.optional(),
    slack: receiverSettings.slack.optional(),
    pagerduty: receiverSettings.pagerduty.optional(),
  })
  .refine((r) => RECEIVER_KINDS.filter((k) => r[k]).length === 1, {
    message: `a receiver has exactly one of ${RECEIVER_KINDS.join(', ')}`,
  })
  .transform((r): ReceiverConfig => {
    const kind = RECEIVER_KINDS.find((k) => r[k])!;
    return { name: r.name, kind, settings: r[kind]! } as ReceiverConfig;
  });

const inhibitRuleSchema = z.strictObject({
  source_matchers: z.array(matcher).min(1),
  target_matchers: z.array(matcher).min(1),
  /** Labels that must have the same value on source and target (e.g. service). */
  equal: z.array(z.string().min(1)).default([]),
});
export type InhibitRule = z.output<typeof inhibitRuleSchema>;

export const routingSchema = z
  .strictObject({
    route: routeSchema,
    receivers: z.array(receiverSchema).min(1),
    /** Alertmanager's inhibition: a firing source alert mutes matching target alerts. */
    inhibit_rules: z.array(inhibitRuleSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const names = new Set(config.receivers.map((r) => r.name));
    if (!config.route.receiver)
      ctx.addIssue({ code: 'custom', path: ['route', 'receiver'], message: 'required' });
    const walk = (route: RouteConfig, path: (string | number)[]) => {
      if (route.receiver && !names.has(route.receiver))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'receiver'],
          message: `unknown receiver "${route.receiver}"`,
        });
      for (const [i, child] of route.routes.entries()) walk(child, [...path, 'routes', i]);
    };
    walk(config.route, ['route']);
  });

export type RoutingConfig = z.output<typeof routingSchema>;

export class RoutingConfigError extends Error {
  override name = 'RoutingConfigError';
}

export function parseRoutingConfig(text: string, file: string): RoutingConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new RoutingConfigError(`${file}: ${doc.errors[0]!.message}`);
  const parsed = routingSchema.safeParse(doc.toJS());
  if (!parsed.success)
    throw new RoutingConfigError(
      parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  return parsed.data;
}

export const loadRoutingConfig = (file: string) => parseRoutingConfig(readFileSync(file, 'utf8'), file);

/** Speed first: the first notification without waiting (Alertmanager waits 30 s, then 5 m). */
export const routeDefaults = {
  group_by: ['alertname'],
  group_wait: 0,
  group_interval: 5_000,
  repeat_interval: 4 * 3_600_000,
};

export interface ResolvedRoute {
  /** Position in the tree ("0.2.1"), part of the aggregation group's key. */
  id: string;
  receiver: string;
  groupBy: string[];
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
}

/** Whether a firing alert is muted by another firing alert (never by itself). */
export function isInhibited(
  target: { fingerprint: string; labels: Record<string, string> },
  firing: Iterable<{ fingerprint: string; labels: Record<string, string> }>,
  rules: InhibitRule[],
): boolean {
  const sources = [...firing];
  return rules.some(
    (rule) =>
      rule.target_matchers.every((m) => matches(m, target.labels)) &&
      sources.some(
        (source) =>
          source.fingerprint !== target.fingerprint &&
          rule.source_matchers.every((m) => matches(m, source.labels)) &&
          rule.equal.every((name) => (source.labels[name] ?? '') === (target.labels[name] ?? '')),
      ),
  );
}

/**
 * Alertmanager's matcher semantics: a missing label is "", regular expressions are anchored and
 * RE2 (linear time). A pattern RE2 refuses (only possible in something stored before that check)
 * matches nothing, with either operator: it can never widen what a silence or route covers.
 */
export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return labelRegex(m.value).test?.(v) ?? false;
    case '!~': {
      const re = labelRegex(m.value);
      return re.test ? !re.test(v) : false;
    }
    default: {
      const unknown: never = m.op;
      throw new RangeError(`unknown matcher op ${String(unknown)}`);
    }
  }
}

/** Alertmanager's walk: the deepest matching routes; the first match stops unless it says `continue`. */
export function matchRoutes(root: RouteConfig, labels: Record<string, string>): ResolvedRoute[] {
  const resolve = (route: RouteConfig, parent: ResolvedRoute, id: string): ResolvedRoute => ({
    id,
    receiver: route.receiver ?? parent.receiver,
    groupBy: route.group_by ?? parent.groupBy,
    groupWait: route.group_wait ?? parent.groupWait,
    groupInterval: route.group_interval ?? parent.groupInterval,
    repeatInterval: route.repeat_interval ?? parent.repeatInterval,
  });
  const walk = (route: RouteConfig, self: ResolvedRoute): ResolvedRoute[] => {
    const found: ResolvedRoute[] = [];
    for (const [i, child] of route.routes.entries()) {
      if (!child.matchers.every((m) => matches(m, labels))) continue;
      found.push(...walk(child, resolve(child, self, `${self.id}.${i}`)));
      if (!child.continue) break;
    }
    return found.length > 0 ? found : [self];
  };
  const top: ResolvedRoute = {
    id: '0',
    receiver: root.receiver ?? '',
    groupBy: root.group_by ?? routeDefaults.group_by,
    groupWait: root.group_wait ?? routeDefaults.group_wait,
    groupInterval: root.group_interval ?? routeDefaults.group_interval,
    repeatInterval: root.repeat_interval ?? routeDefaults.repeat_interval,
  };
  return walk(root, top);
}
