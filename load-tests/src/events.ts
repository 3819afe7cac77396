// Events the launcher publishes to subscribers (the dashboard streams them to browsers).
import type { LiveStatus, Run } from './run-state.ts';

/** Every state transition, with the whole run as it is now. */
export type RunStateEvent = { type: 'state'; run: Run };
/** About once a second while k6 runs: live numbers from its REST API. */
export type RunStatusEvent = { type: 'status'; runId: string } & LiveStatus;
/** One line of k6 output (also kept in the run's k6.log). */
export type RunLogEvent = { type: 'log'; runId: string; stream: 'stdout' | 'stderr'; line: string };

export type RunEvent = RunStateEvent | RunStatusEvent | RunLogEvent;
export type RunEventListener = (event: RunEvent) => void;
