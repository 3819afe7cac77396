// The cp_schedules repository: a schedule as a row (every change a newer row, Deleted = 1 to
// remove it) and the live schedules read back (FINAL keeps the newest by UpdatedAt).
import type { Store } from 'collector';
import type { NotifyFormat, ScheduleNotice, ScheduleOutcome } from '../../lib/schedule-view.ts';

export const SCHEDULES_TABLE = 'cp_schedules';

/** A schedule as the scheduler holds it. */
export interface Schedule {
  id: string;
  name: string;
  scenario: string;
  params: Record<string, unknown>;
  cron: string;
  timeZone: string;
  /** '' when nobody is notified. */
  notifyUrl: string;
  notifyFormat: NotifyFormat;
  paused: boolean;
  deleted: boolean;
  createdBy: string;
  /** The creator's role: a scheduled run gets that role's ceilings (RUN_MAX_*). */
  createdRole: 'qa' | 'admin';
  createdAt: number;
  /** Due times after this (unix ms) are still to be handled. */
  dueFrom: number;
  lastRunId: string;
  last: ScheduleOutcome | null;
  lastNotice: ScheduleNotice | null;
  updatedAt: number;
}

type Row = Record<string, string | number>;

const json = <T>(text: unknown): T | null => {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

export function scheduleToRow(s: Schedule): Row {
  return {
    Id: s.id,
    Name: s.name,
    Scenario: s.scenario,
    Params: JSON.stringify(s.params),
    Cron: s.cron,
    TimeZone: s.timeZone,
    NotifyUrl: s.notifyUrl,
    NotifyFormat: s.notifyFormat,
    Paused: s.paused ? 1 : 0,
    Deleted: s.deleted ? 1 : 0,
    CreatedBy: s.createdBy,
    CreatedRole: s.createdRole,
    CreatedAt: s.createdAt,
    DueFrom: s.dueFrom,
    LastRunId: s.lastRunId,
    LastOutcome: s.last ? JSON.stringify(s.last) : '',
    LastNotice: s.lastNotice ? JSON.stringify(s.lastNotice) : '',
    UpdatedAt: s.updatedAt,
  };
}

function scheduleOfRow(r: Row): Schedule {
  return {
    id: String(r.Id),
    name: String(r.Name),
    scenario: String(r.Scenario),
    params: json<Record<string, unknown>>(r.Params) ?? {},
    cron: String(r.Cron),
    timeZone: String(r.TimeZone),
    notifyUrl: String(r.NotifyUrl),
    notifyFormat: r.NotifyFormat === 'slack' ? 'slack' : 'webhook',
    paused: Number(r.Paused) === 1,
    deleted: Number(r.Deleted) === 1,
    createdBy: String(r.CreatedBy),
    createdRole: r.CreatedRole === 'admin' ? 'admin' : 'qa',
    createdAt: Number(r.createdMs),
    dueFrom: Number(r.dueFromMs),
    lastRunId: String(r.LastRunId),
    last: json<ScheduleOutcome>(r.LastOutcome),
    lastNotice: json<ScheduleNotice>(r.LastNotice),
    updatedAt: Number(r.updatedMs),
  };
}

export async function writeSchedule(client: Store['client'], s: Schedule): Promise<void> {
  await client.insert({ table: SCHEDULES_TABLE, values: [scheduleToRow(s)], format: 'JSONEachRow' });
}

/** Every schedule not deleted, oldest first. */
export async function readSchedules(client: Store['client']): Promise<Schedule[]> {
  const result = await client.query({
    query: `SELECT *, toUnixTimestamp64Milli(CreatedAt) AS createdMs, toUnixTimestamp64Milli(DueFrom) AS dueFromMs,
              toUnixTimestamp64Milli(UpdatedAt) AS updatedMs
            FROM ${SCHEDULES_TABLE} FINAL WHERE Deleted = 0 ORDER BY CreatedAt`,
    format: 'JSONEachRow',
  });
  return (await result.json<Row>()).map(scheduleOfRow);
}
