// The scheduler's refusals, matched by brand (the Next bundle and the Node process each hold a copy
// of this module, see ARCHITECTURE.md): no such schedule.
const SCHEDULE_NOT_FOUND: unique symbol = Symbol.for('dashboard.ScheduleNotFoundError');

export class ScheduleNotFoundError extends Error {
  readonly [SCHEDULE_NOT_FOUND] = true;
  constructor(id: string) {
    super(`no schedule ${id}`);
    this.name = 'ScheduleNotFoundError';
  }
}

export const isScheduleNotFoundError = (error: unknown): error is ScheduleNotFoundError =>
  typeof error === 'object' && error !== null && SCHEDULE_NOT_FOUND in error;
