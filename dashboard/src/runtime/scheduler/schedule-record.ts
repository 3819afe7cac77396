// A schedule as it is made from a client's input (checked now as a launch would be checked at its
// due time: scenario, parameters, allowlist, the creator's ceilings) and as it is shown (next due
// time, the state of its latest run, the notification URL reduced to its origin).
import { randomBytes } from 'node:crypto';
import {
  findRun,
  type Launcher,
  ParamValidationError,
  parseDuration,
  parseScenarioParams,
  type RunLimits,
  type StoreClient,
} from 'load-tests';
import type { Role } from '../../lib/roles.ts';
import type { ScheduleView } from '../../lib/schedule-view.ts';
import { nextDue } from '../../server/schedules/due-times.ts';
import type { ScheduleInput } from '../../server/schedules/schedule-input.ts';
import type { Schedule } from '../../server/schedules/schedule-store.ts';

/** A new schedule; ParamValidationError (naming the field) when a launch of it would be refused. */
export function newSchedule(
  input: ScheduleInput,
  by: { name: string; role: Role },
  context: { targets: string[]; limitsOf: (role: 'qa' | 'admin') => RunLimits | undefined; now: number },
): Schedule {
  const params = { ...input.params };
  params.target ??= context.targets[0];
  const { params: parsed } = parseScenarioParams(input.scenario, params, context.targets);
  const role = by.role === 'admin' ? 'admin' : 'qa';
  const limits = context.limitsOf(role);
  if (limits && parsed.vus > limits.maxVus)
    throw new ParamValidationError([
      {
        field: 'vus',
        message: `${parsed.vus} VUs is over the ceiling of ${limits.maxVus} for the ${role} role`,
      },
    ]);
  if (limits && (parseDuration(parsed.duration) ?? 0) > (parseDuration(limits.maxDuration) ?? 0))
    throw new ParamValidationError([
      {
        field: 'duration',
        message: `${parsed.duration} is over the ceiling of ${limits.maxDuration} for the ${role} role`,
      },
    ]);
  return {
    id: `sch_${randomBytes(6).toString('hex')}`,
    name: input.name,
    scenario: input.scenario,
    params,
    cron: input.cron,
    timeZone: input.timeZone,
    notifyUrl: input.notifyUrl ?? '',
    notifyFormat: input.notifyFormat,
    paused: false,
    deleted: false,
    createdBy: by.name,
    createdRole: role,
    createdAt: context.now,
    dueFrom: context.now,
    lastRunId: '',
    last: null,
    lastNotice: null,
    updatedAt: 0,
  };
}

/** What the page, the API and the CLI show of a schedule at `now`. */
export async function viewOf(
  s: Schedule,
  context: { launcher: Launcher; client: StoreClient; now: number },
): Promise<ScheduleView> {
  let lastRun: ScheduleView['lastRun'] = null;
  if (s.lastRunId) {
    const live = context.launcher.get(s.lastRunId);
    const stored = live ? undefined : await findRun(context.client, s.lastRunId).catch(() => undefined);
    lastRun = { id: s.lastRunId, state: live?.state ?? stored?.state ?? 'unknown' };
  }
  return {
    id: s.id,
    name: s.name,
    scenario: s.scenario,
    params: s.params,
    cron: s.cron,
    timeZone: s.timeZone,
    notify: s.notifyUrl ? { format: s.notifyFormat, origin: new URL(s.notifyUrl).origin } : null,
    paused: s.paused,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    nextRunAt: s.paused ? null : nextDue(s.cron, s.timeZone, Math.max(s.dueFrom, context.now)),
    last: s.last,
    lastRun,
    lastNotice: s.lastNotice,
  };
}
