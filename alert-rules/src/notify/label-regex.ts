// Regular expressions in label matchers (silences, routes, inhibit rules) with RE2 semantics, as
// Alertmanager has them: anchored, and matched in time linear in the label value whatever the
// pattern — a backtracking engine let one silence like `(a+)+$` hold the process at 100 % CPU.
import { RE2JS } from 're2js';

/** Longest pattern accepted; label matchers are short, and program size grows with the pattern. */
export const MAX_LABEL_PATTERN_LENGTH = 512;

export type LabelRegex = { test(value: string): boolean; error: null } | { test: null; error: string };

/** Compiled patterns (and refusals) by source; patterns come from a few silences and the routing file. */
const cache = new Map<string, LabelRegex>();
const CACHE_LIMIT = 1000;

function compile(pattern: string): LabelRegex {
  if (pattern.length > MAX_LABEL_PATTERN_LENGTH)
    return {
      test: null,
      error: `a pattern is at most ${MAX_LABEL_PATTERN_LENGTH} characters (got ${pattern.length})`,
    };
  try {
    // The pattern alone first: its errors then quote the user's text, and `a)|(b` cannot close
    // the anchoring group and match unanchored.
    RE2JS.compile(pattern);
    const re = RE2JS.compile(`^(?:${pattern})$`);
    return { test: (value) => re.matches(value), error: null };
  } catch (e) {
    // RE2 refuses what it cannot match in linear time (backreferences, lookaround) with a reason.
    return { test: null, error: `not an RE2 regular expression: ${(e as Error).message}` };
  }
}

/** The anchored matcher for `pattern`, or why RE2 refuses it. */
export function labelRegex(pattern: string): LabelRegex {
  let found = cache.get(pattern);
  if (!found) {
    found = compile(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, found);
  }
  return found;
}

/** Why `pattern` is refused, or null when it compiles. */
export const labelRegexError = (pattern: string): string | null => labelRegex(pattern).error;
