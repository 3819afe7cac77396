// Regular-expression label matchers run with RE2 semantics: a qa user's silence with nested
// quantifiers once held the dashboard at 100 % CPU (a backtracking engine is exponential on it).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { labelRegexError, MAX_LABEL_PATTERN_LENGTH } from '../../src/notify/label-regex.ts';
import {
  isInhibited,
  type Matcher,
  matches,
  matchRoutes,
  parseRoutingConfig,
  RoutingConfigError,
} from '../../src/notify/routing-config.ts';

const child = fileURLToPath(new URL('../support/match-child.ts', import.meta.url));

/** matches() for each case in a child process; 'killed' when it has not answered within 15 s. */
async function matchesInChild(
  cases: { matcher: Matcher; labels: Record<string, string> }[],
): Promise<boolean[] | 'killed'> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [child, JSON.stringify(cases)], {
      timeout: 15_000,
      killSignal: 'SIGKILL',
    });
    return JSON.parse(stdout) as boolean[];
  } catch (error) {
    if ((error as { killed?: boolean }).killed) return 'killed';
    throw error;
  }
}

/** A value on which a backtracking engine tries ~2^40 ways before failing. */
const evil = `${'a'.repeat(40)}!`;

describe('label regex matchers (RE2)', () => {
  it('answers at once for nested quantifiers that make a backtracking engine run for hours', async () => {
    const cases = [
      ...['(a+)+', '(a|aa)+', '(a*)*b', '(.*a){20}'].map((value) => ({
        matcher: { name: 'team', op: '=~' as const, value },
        labels: { team: evil },
      })),
      { matcher: { name: 'team', op: '!~' as const, value: '(a+)+' }, labels: { team: evil } },
    ];
    expect(await matchesInChild(cases)).toEqual([false, false, false, false, true]);
  }, 30_000);

  it('keeps Alertmanager semantics: anchored, missing label is ""', () => {
    expect(matches({ name: 's', op: '=~', value: 'car.*' }, { s: 'car-suggester' })).toBe(true);
    expect(matches({ name: 's', op: '=~', value: 'car' }, { s: 'xcarx' })).toBe(false);
    expect(matches({ name: 's', op: '=~', value: 'a|b' }, { s: 'ab' })).toBe(false);
    expect(matches({ name: 's', op: '!~', value: '.+' }, {})).toBe(true);
  });

  it('refuses what RE2 cannot match in linear time, and over-long patterns, with the reason', () => {
    expect(labelRegexError('car.*')).toBeNull();
    expect(labelRegexError('(a+)+')).toBeNull();
    expect(labelRegexError('(?=x)')).toMatch(/not an RE2 regular expression: .*\(\?=/);
    expect(labelRegexError('(a)\\1')).toMatch(/invalid escape sequence/);
    expect(labelRegexError('(')).toMatch(/missing closing \)/);
    expect(labelRegexError('a{5000}')).toMatch(/invalid repeat count/);
    // Cannot close the anchoring group to match unanchored.
    expect(labelRegexError('x)|(.*')).toMatch(/unexpected \)/);
    expect(labelRegexError('a'.repeat(MAX_LABEL_PATTERN_LENGTH + 1))).toMatch(/at most 512 characters/);
  });

  it('lets a refused pattern match nothing, with either operator', () => {
    // Only reachable through something stored before patterns were checked: it must not widen.
    expect(matches({ name: 's', op: '=~', value: '(?!x).*' }, { s: 'y' })).toBe(false);
    expect(matches({ name: 's', op: '!~', value: '(?!x).*' }, { s: 'y' })).toBe(false);
  });

  it('rejects a routing file whose route or inhibit matcher RE2 refuses, naming it', () => {
    const file = (matcher: string, where: 'route' | 'inhibit') => `route:
  receiver: r
  routes: [{ receiver: r, matchers: [${where === 'route' ? `'${matcher}'` : '\'a="b"\''}] }]
receivers: [{ name: r, webhook: { url_env: HOOK } }]
inhibit_rules:
  - { source_matchers: ['x="y"'], target_matchers: [${where === 'inhibit' ? `'${matcher}'` : '\'x="z"\''}] }
`;
    expect(() => parseRoutingConfig(file('team=~"(?<=a)b"', 'route'), 'r.yaml')).toThrow(RoutingConfigError);
    expect(() => parseRoutingConfig(file('team=~"(?<=a)b"', 'route'), 'r.yaml')).toThrow(
      /routes\.0\.matchers\.0: "team=~"\(\?<=a\)b"": not an RE2 regular expression: .*`\(\?<=a\)b`$/,
    );
    expect(() => parseRoutingConfig(file('team!~"\\\\1"', 'inhibit'), 'r.yaml')).toThrow(
      /inhibit_rules\.0\.target_matchers\.0: .*not an RE2 regular expression/,
    );
  });

  it('routes and inhibits through the same matcher (nested quantifiers accepted, anchored)', () => {
    const config = parseRoutingConfig(
      `route:
  receiver: r
  routes: [{ receiver: team, matchers: ['team=~"(a+)+"'] }]
receivers: [{ name: r, webhook: { url_env: HOOK } }, { name: team, webhook: { url_env: HOOK } }]
inhibit_rules:
  - { source_matchers: ['team=~"(a|aa)+"'], target_matchers: ['team=~"(a*)*b"'] }
`,
      'r.yaml',
    );
    expect(matchRoutes(config.route, { team: 'aaaa!' }).map((r) => r.receiver)).toEqual(['r']);
    expect(matchRoutes(config.route, { team: 'aaaa' }).map((r) => r.receiver)).toEqual(['team']);
    const target = { fingerprint: 'f1', labels: { team: 'aab' } };
    expect(isInhibited(target, [{ fingerprint: 'f2', labels: { team: 'aaa' } }], config.inhibit_rules)).toBe(
      true,
    );
    expect(isInhibited(target, [{ fingerprint: 'f2', labels: { team: 'aaa!' } }], config.inhibit_rules)).toBe(
      false,
    );
  });
});
