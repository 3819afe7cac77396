// What the Schedules page, the API and the CLI show of a schedule: shared by the server (which
// builds it) and the browser (which renders it). Types and words only, no code that needs Node.
import type { RunState } from 'load-tests/model';

/** The missed-schedule rule, stated once for the README, the page and the CLI's help. */
export const MISSED_RULE =
  'the latest due time missed while the dashboard was down runs once at start if it is at most 1 hour old (earlier missed ones collapse into it); an older one is skipped and shown as missed';

/** What happened at a schedule's latest due time. */
export type ScheduleOutcome =
  | { type: 'launched'; dueAt: number; runId: string }
  | { type: 'missed'; dueAt: number; reason: string }
  | { type: 'skipped'; dueAt: number; reason: string }
  | { type: 'refused'; dueAt: number; reason: string };

/** The completion notification of the schedule's latest ended run. */
export type ScheduleNotice = {
  runId: string;
  at: number;
  verdict: 'passed' | 'failed';
  /** 'sent', or why it could not be delivered (HTTP 500, timeout, …). */
  delivery: string;
};

export const NOTIFY_FORMATS = ['webhook', 'slack'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export interface ScheduleView {
  id: string;
  name: string;
  scenario: string;
  params: Record<string, unknown>;
  cron: string;
  timeZone: string;
  /** Only the origin of the notification URL (a Slack webhook's path is its secret); null when none. */
  notify: { format: NotifyFormat; origin: string } | null;
  paused: boolean;
  createdBy: string;
  createdAt: number;
  /** The next due time (unix ms); null when paused or the cron never fires again. */
  nextRunAt: number | null;
  last: ScheduleOutcome | null;
  /** The schedule's latest run and its state now. */
  lastRun: { id: string; state: RunState | 'unknown' } | null;
  lastNotice: ScheduleNotice | null;
}
