// Silences and acknowledgements as Alertmanager has them: a silence is a set of label matchers
// with a start and an end, an author and a comment; while active it mutes every alert whose labels
// all its matchers match. An acknowledgement is per alert instance (fingerprint): someone is on it,
// so repeats stop until the alert resolves. Inputs are validated here, at the edge.
import { z } from 'zod';
import { labelRegexError } from '../notify/label-regex.ts';
import { isRegexOp, type Matcher, matches, parseMatcher } from '../notify/routing-config.ts';

const matchOps = ['=', '!=', '=~', '!~'] as const;
/** Bounds on what one silence may hold (a matcher text is parsed before its pattern is judged). */
const MAX_MATCHERS = 32;
const MAX_MATCHER_TEXT = 2048;

const matcherObject = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names are letters, digits and _'),
    op: z.enum(matchOps),
    value: z.string().max(MAX_MATCHER_TEXT, `at most ${MAX_MATCHER_TEXT} characters`),
  })
  .superRefine((m, ctx) => {
    // RE2 (linear time, as Alertmanager): nested quantifiers cannot hang the process.
    const refused = isRegexOp(m.op) ? labelRegexError(m.value) : null;
    if (refused) ctx.addIssue({ code: 'custom', path: ['value'], message: refused });
  });

/** `{name, op, value}` or Alertmanager's text form `severity="page"`. */
const matcherInput = z.unknown().transform((input, ctx) => {
  if (typeof input === 'string' && input.length > MAX_MATCHER_TEXT) {
    ctx.addIssue({ code: 'custom', message: `a matcher is at most ${MAX_MATCHER_TEXT} characters` });
    return z.NEVER;
  }
  const parsed = typeof input === 'string' ? parseMatcher(input) : input;
  if (parsed === null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(input)}" is not a matcher (use e.g. alertname="TargetNoData")`,
    });
    return z.NEVER;
  }
  const checked = matcherObject.safeParse(parsed);
  if (!checked.success) {
    for (const issue of checked.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return checked.data;
});

const time = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((t) => Date.parse(t)),
]);
const author = z.string().trim().min(1, 'who is creating it').max(200);
const comment = z.string().trim().min(1, 'say why').max(2000);

export const silenceInputSchema = z
  .strictObject({
    matchers: z
      .array(matcherInput)
      .min(1, 'at least one matcher')
      .max(MAX_MATCHERS, `at most ${MAX_MATCHERS} matchers`),
    /** Unix ms or ISO time; default now. */
    startsAt: time.optional(),
    endsAt: time,
    createdBy: author,
    comment,
  })
  .superRefine((s, ctx) => {
    // As Alertmanager: a silence that would also match an alert without those labels mutes too much.
    if (s.matchers.every((m) => matches(m, {})))
      ctx.addIssue({
        code: 'custom',
        path: ['matchers'],
        message: 'at least one matcher must not match an empty label value (it would silence everything)',
      });
    if (s.startsAt !== undefined && s.endsAt <= s.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });
export type SilenceInput = z.input<typeof silenceInputSchema>;

export const ackInputSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'an alert fingerprint (16 hex digits)'),
  by: author,
  comment: z.string().trim().max(2000).default(''),
});
export type AckInput = z.input<typeof ackInputSchema>;

export const silenceIdSchema = z.string().uuid('a silence id');

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  updatedAt: number;
  /** Set on a stored silence that cannot be applied (see silenceProblem): it matches nothing. */
  problem?: string;
}

export const silenceStates = ['pending', 'active', 'expired'] as const;
export type SilenceState = (typeof silenceStates)[number];

export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now >= s.endsAt) return 'expired';
  return now < s.startsAt ? 'pending' : 'active';
}

/**
 * Why a stored silence can match nothing: a pattern RE2 refuses (stored before patterns were
 * checked with RE2, or written to the table by hand). Null for every silence created through here.
 */
export function silenceProblem(s: Pick<Silence, 'matchers'>): string | null {
  for (const m of s.matchers) {
    const refused = isRegexOp(m.op) ? labelRegexError(m.value) : null;
    if (refused)
      return `matcher ${m.name}${m.op}"${m.value.slice(0, 80)}" is refused (${refused}): this silence matches nothing`;
  }
  return null;
}

/** Whether the silence covers these labels; one with a problem covers nothing. */
export const silenceMatches = (s: Silence, labels: Record<string, string>) =>
  s.problem === undefined && s.matchers.every((m) => matches(m, labels));

export interface Acknowledgement {
  fingerprint: string;
  rule: string;
  by: string;
  comment: string;
  at: number;
}
