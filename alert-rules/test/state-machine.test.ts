import { describe, expect, it } from 'vitest';
import {
  type AlertState,
  inactive,
  nextState,
  notificationFor,
  type Observation,
} from '../src/state-machine.ts';

const s = 1000;
const rule = { for: 10 * s, keepFiringFor: 0 };

/** Runs evaluations (true / false / null = no data / 'error') at the given seconds; returns each state name. */
function run(
  steps: [number, boolean | null | 'error'][],
  params = rule,
  start: AlertState = inactive,
): AlertState[] {
  const states: AlertState[] = [];
  let state = start;
  for (const [at, outcome] of steps) {
    const obs: Observation =
      outcome === 'error'
        ? { conditionTrue: null, error: 'boom', now: at * s, ...params }
        : { conditionTrue: outcome, now: at * s, ...params };
    state = nextState(state, obs);
    states.push(state);
  }
  return states;
}
const names = (states: AlertState[]) => states.map((x) => x.state);

describe('nextState', () => {
  it('goes inactive → pending → firing once `for` has elapsed → resolved → inactive', () => {
    const states = run([
      [0, true],
      [5, true],
      [10, true],
      [12, false],
      [14, false],
    ]);
    expect(names(states)).toEqual(['pending', 'pending', 'firing', 'resolved', 'inactive']);
    expect(states[2]).toEqual({ state: 'firing', activeAt: 0, firedAt: 10 * s, keepFiringSince: null });
    expect(states[3]).toEqual({ state: 'resolved', activeAt: 0, firedAt: 10 * s, resolvedAt: 12 * s });
  });

  it('resets pending on a false evaluation, so `for` counts again from the next true one', () => {
    const states = run([
      [0, true],
      [8, false],
      [10, true],
      [18, true],
      [20, true],
    ]);
    expect(names(states)).toEqual(['pending', 'inactive', 'pending', 'pending', 'firing']);
    expect(states[4]).toMatchObject({ activeAt: 10 * s, firedAt: 20 * s });
  });

  it('fires at once when `for` is 0', () => {
    expect(
      names(
        run(
          [
            [0, false],
            [2, true],
          ],
          { for: 0, keepFiringFor: 0 },
        ),
      ),
    ).toEqual(['inactive', 'firing']);
  });

  it('keeps firing for keep_firing_for after the condition turns false, counting from the first false', () => {
    const params = { for: 0, keepFiringFor: 10 * s };
    const states = run(
      [
        [0, true],
        [2, false],
        [8, true],
        [10, false],
        [18, false],
        [20, false],
      ],
      params,
    );
    expect(names(states)).toEqual(['firing', 'firing', 'firing', 'firing', 'firing', 'resolved']);
    expect(states[1]).toMatchObject({ keepFiringSince: 2 * s });
    expect(states[2]).toMatchObject({ keepFiringSince: null }); // true again: the clock restarts
    expect(states[5]).toMatchObject({ resolvedAt: 20 * s });
  });

  it('goes from resolved straight back to pending when the condition is true again', () => {
    expect(
      names(
        run([
          [0, true],
          [10, true],
          [12, false],
          [14, true],
        ]),
      ),
    ).toEqual(['pending', 'firing', 'resolved', 'pending']);
  });

  it('holds a firing alert through no data and errors, neither resolving nor re-firing it', () => {
    const states = run([
      [0, true],
      [10, true],
      [12, null],
      [14, 'error'],
      [16, true],
      [18, false],
    ]);
    expect(names(states)).toEqual(['pending', 'firing', 'nodata', 'error', 'firing', 'resolved']);
    expect(states[3]).toMatchObject({
      state: 'error',
      error: 'boom',
      held: { state: 'firing', activeAt: 0 },
    });
    expect(notificationFor(states[3]!, states[4]!)).toBeNull();
    expect(notificationFor(states[4]!, states[5]!)).toBe('resolved');
  });

  it('drops pending on a gap in the data but keeps it through a query error', () => {
    expect(
      run([
        [0, true],
        [4, null],
      ])[1],
    ).toEqual({ state: 'nodata', since: 4 * s, held: { state: 'inactive' } });
    const states = run([
      [0, true],
      [4, 'error'],
      [10, true],
    ]);
    expect(names(states)).toEqual(['pending', 'error', 'firing']);
  });
});

describe('notificationFor', () => {
  it('notifies on entering firing and on resolving, and not otherwise', () => {
    const states = run([
      [0, true],
      [10, true],
      [12, true],
      [14, false],
      [16, false],
    ]);
    const transitions = states.map((next, i) => notificationFor(i === 0 ? inactive : states[i - 1]!, next));
    expect(transitions).toEqual([null, 'firing', null, 'resolved', null]);
  });
});
