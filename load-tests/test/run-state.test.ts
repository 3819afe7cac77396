import { expect, test } from 'vitest';
import { canTransition, isTerminal, nextStates, RUN_STATES } from '../src/run-state.ts';

test('the lifecycle moves forward only', () => {
  const path = ['queued', 'starting', 'running', 'stopping', 'aborted'] as const;
  for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  expect(canTransition('running', 'starting')).toBe(false);
  expect(canTransition('stopping', 'running')).toBe(false);
  expect(canTransition('queued', 'finished')).toBe(false);
});

test('terminal states go nowhere', () => {
  const terminal = RUN_STATES.filter(isTerminal);
  expect(terminal).toEqual(['finished', 'failed', 'aborted', 'lost']);
  for (const s of terminal) expect(nextStates(s)).toEqual([]);
  for (const s of RUN_STATES.filter((s) => !isTerminal(s))) expect(nextStates(s).length).toBeGreaterThan(0);
});
