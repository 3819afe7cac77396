// The missed-schedule rule with fixed clocks: the latest missed due time runs once when it is at
// most an hour old, else it is skipped as missed; time zones move due times.
import { describe, expect, it } from 'vitest';
import { decideDue, GRACE_MS, nextDue } from '../../../src/server/schedules/due-times.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('nextDue', () => {
  it('follows the schedule’s time zone, daylight saving included', () => {
    // 09:00 on weekdays in New York: 14:00 UTC in winter, 13:00 UTC in summer.
    expect(iso(nextDue('0 9 * * 1-5', 'America/New_York', at('2026-01-02T15:00:00Z')))).toBe(
      '2026-01-05T14:00:00.000Z',
    );
    expect(iso(nextDue('0 9 * * 1-5', 'America/New_York', at('2026-07-01T15:00:00Z')))).toBe(
      '2026-07-02T13:00:00.000Z',
    );
    expect(iso(nextDue('0 9 * * *', 'Asia/Tokyo', at('2026-01-01T00:00:00Z')))).toBe(
      '2026-01-02T00:00:00.000Z',
    );
  });

  it('takes a seconds field and says when a cron never fires', () => {
    expect(iso(nextDue('*/5 * * * * *', 'UTC', at('2026-01-01T00:00:02Z')))).toBe('2026-01-01T00:00:05.000Z');
    expect(nextDue('0 0 30 2 *', 'UTC', at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('decideDue (the missed-schedule rule)', () => {
  const hourly = '0 * * * *';

  it('waits while no due time has passed', () => {
    expect(decideDue(hourly, 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T10:59:59Z'))).toEqual({
      type: 'wait',
      nextAt: at('2026-01-01T11:00:00Z'),
    });
  });

  it('runs a due time reached on time', () => {
    expect(decideDue(hourly, 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:00.020Z'))).toEqual({
      type: 'run',
      dueAt: at('2026-01-01T11:00:00Z'),
      missed: 0,
    });
  });

  it('runs a due time missed by less than the hour’s grace once, at start', () => {
    // Down from 10:50 to 11:40: 11:00 was missed by 40 min.
    expect(decideDue(hourly, 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T11:40:00Z'))).toEqual({
      type: 'run',
      dueAt: at('2026-01-01T11:00:00Z'),
      missed: 0,
    });
  });

  it('collapses several missed due times into one run of the latest', () => {
    // Every 5 minutes, down 12 minutes: 10:05 and 10:10 missed; 10:10 is 2 min old < 5 min.
    expect(decideDue('*/5 * * * *', 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T10:12:00Z'))).toEqual({
      type: 'run',
      dueAt: at('2026-01-01T10:10:00Z'),
      missed: 1,
    });
  });

  it('skips a due time older than the grace and says so', () => {
    // Daily at 09:00, back at 10:30: 90 min late, over the 1 h grace.
    const d = decideDue('0 9 * * *', 'UTC', at('2026-01-01T09:00:00Z'), at('2026-01-02T10:30:00Z'));
    expect(d).toMatchObject({ type: 'skip', dueAt: at('2026-01-02T09:00:00Z'), missed: 1 });
    expect(d.type === 'skip' && d.reason).toMatch(
      /^missed: due 2026-01-02T09:00:00.000Z, 5400 s .*grace 3600 s/,
    );
    // Back at 09:40 it is within the hour: run.
    expect(
      decideDue('0 9 * * *', 'UTC', at('2026-01-01T09:00:00Z'), at('2026-01-02T09:40:00Z')),
    ).toMatchObject({
      type: 'run',
      dueAt: at('2026-01-02T09:00:00Z'),
    });
  });

  it('judges the latest due time only: the hour counts from it', () => {
    // Every 30 minutes, down 59 min: 10:30 is 29 min old (run). Every 2 hours: 10:00 is 90 min old
    // at 11:30 (skip), though 08:00 → 10:00 was a single missed interval.
    expect(
      decideDue('*/30 * * * *', 'UTC', at('2026-01-01T10:00:00Z'), at('2026-01-01T10:59:00Z')),
    ).toMatchObject({ type: 'run', dueAt: at('2026-01-01T10:30:00Z') });
    expect(
      decideDue('0 */2 * * *', 'UTC', at('2026-01-01T08:00:00Z'), at('2026-01-01T11:30:00Z')),
    ).toMatchObject({ type: 'skip', dueAt: at('2026-01-01T10:00:00Z') });
  });

  it('skips without walking every due time of a long outage', () => {
    const d = decideDue('* * * * * *', 'UTC', at('2026-01-01T00:00:00Z'), at('2026-01-05T00:00:00.500Z'));
    // Every second: the latest due time is 0.5 s old, well inside its 1 s interval.
    expect(d).toMatchObject({ type: 'run', dueAt: at('2026-01-05T00:00:00Z') });
    const daily = decideDue('0 0 1 1 *', 'UTC', at('2020-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z'));
    expect(daily).toMatchObject({ type: 'skip', dueAt: at('2021-01-01T00:00:00Z') });
    expect(GRACE_MS).toBe(3_600_000);
  });
});
