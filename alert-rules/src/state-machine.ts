// The alert lifecycle, as Prometheus runs it: inactive → pending (condition true) → firing (true
// for at least `for`) → resolved (false, after keep_firing_for) → inactive; a false evaluation
// while pending drops back to inactive. No data and query errors are states of their own that
// hold the state they interrupted, so a flaky query or a gap in telemetry neither resolves nor
// re-fires an alert (a gap does reset pending: the condition was not seen true throughout `for`).

export const alertStates = ['inactive', 'pending', 'firing', 'resolved', 'nodata', 'error'] as const;
export type AlertStateName = (typeof alertStates)[number];

/** States a value can put an alert in; nodata and error hold one of these. */
export type SettledState =
  | { state: 'inactive' }
  | { state: 'pending'; activeAt: number }
  | {
      state: 'firing';
      activeAt: number;
      firedAt: number;
      /** First false evaluation while firing (keep_firing_for counts from here); null while true. */
      keepFiringSince: number | null;
    }
  | { state: 'resolved'; activeAt: number; firedAt: number; resolvedAt: number };

export type AlertState =
  | SettledState
  | { state: 'nodata'; since: number; held: SettledState }
  | { state: 'error'; since: number; held: SettledState; error: string };

export interface Observation {
  /** The condition's truth, or null when it is unknown (no data, or the query failed). */
  conditionTrue: boolean | null;
  /** Set when the query failed; with conditionTrue null it selects the error state. */
  error?: string | undefined;
  now: number;
  /** The rule's `for`, ms. */
  for: number;
  /** The rule's `keep_firing_for`, ms. */
  keepFiringFor: number;
}

export const inactive: AlertState = { state: 'inactive' };

export function nextState(prev: AlertState, obs: Observation): AlertState {
  if (obs.conditionTrue === null) {
    const held = settled(prev);
    if (obs.error !== undefined) {
      return prev.state === 'error'
        ? { ...prev, error: obs.error }
        : { state: 'error', since: obs.now, held, error: obs.error };
    }
    if (prev.state === 'nodata') return prev;
    // A gap breaks "true for the whole of `for`": pending starts over, as in Prometheus.
    return { state: 'nodata', since: obs.now, held: held.state === 'pending' ? { state: 'inactive' } : held };
  }
  return step(settled(prev), obs.conditionTrue, obs);
}

/** The state an alert is in for notification purposes: nodata and error count as what they hold. */
export function settled(state: AlertState): SettledState {
  switch (state.state) {
    case 'nodata':
    case 'error':
      return state.held;
    case 'inactive':
    case 'pending':
    case 'firing':
    case 'resolved':
      return state;
    default: {
      const unknown: never = state;
      throw new TypeError(`unknown alert state ${JSON.stringify(unknown)}`);
    }
  }
}

function step(prev: SettledState, conditionTrue: boolean, obs: Observation): SettledState {
  const { now } = obs;
  switch (prev.state) {
    case 'inactive':
    case 'resolved':
      if (!conditionTrue) return { state: 'inactive' };
      return obs.for <= 0
        ? { state: 'firing', activeAt: now, firedAt: now, keepFiringSince: null }
        : { state: 'pending', activeAt: now };
    case 'pending':
      if (!conditionTrue) return { state: 'inactive' };
      return now - prev.activeAt >= obs.for
        ? { state: 'firing', activeAt: prev.activeAt, firedAt: now, keepFiringSince: null }
        : prev;
    case 'firing': {
      if (conditionTrue) return prev.keepFiringSince === null ? prev : { ...prev, keepFiringSince: null };
      const since = prev.keepFiringSince ?? now;
      if (now - since < obs.keepFiringFor) return { ...prev, keepFiringSince: since };
      return { state: 'resolved', activeAt: prev.activeAt, firedAt: prev.firedAt, resolvedAt: now };
    }
    default: {
      const unknown: never = prev;
      throw new TypeError(`unknown alert state ${JSON.stringify(unknown)}`);
    }
  }
}

/** The notification a transition calls for: to firing (from anything else) and to resolved. */
export function notificationFor(prev: AlertState, next: AlertState): 'firing' | 'resolved' | null {
  const before = settled(prev).state;
  const after = settled(next).state;
  if (after === 'firing' && before !== 'firing') return 'firing';
  if (after === 'resolved' && before === 'firing') return 'resolved';
  return null;
}

/** When the alert became active (pending or firing), if it is. */
export function activeAt(state: AlertState): number | null {
  const s = settled(state);
  return s.state === 'inactive' ? null : s.activeAt;
}
