// An experiment's state and an optimisation's verdict as coloured pills (the run badges' colours).
import type { ExperimentState, Verdict } from 'load-tests';

const VERDICT_STYLE: Record<Verdict, string> = {
  confirmed: 'finished',
  smaller: 'stopping',
  none: 'aborted',
  worse: 'failed',
  'no data': 'nodata',
};
const STATE_STYLE: Record<ExperimentState, string> = {
  running: 'running',
  finished: 'finished',
  stopped: 'aborted',
  failed: 'failed',
};

export const VERDICT_ORDER: readonly Verdict[] = ['confirmed', 'smaller', 'none', 'worse', 'no data'];

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span className={`badge badge-${VERDICT_STYLE[verdict]}`} data-testid="verdict" data-verdict={verdict}>
      {verdict}
    </span>
  );
}

export function ExperimentStateBadge({ state }: { state: ExperimentState }) {
  return (
    <span className={`badge badge-${STATE_STYLE[state]}`} data-testid="experiment-state" data-state={state}>
      {state}
    </span>
  );
}
