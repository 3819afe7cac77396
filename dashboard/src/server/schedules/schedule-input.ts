// What a client may send to create a schedule, checked at the edge: a cron croner accepts (five
// fields, or six with seconds), an IANA time zone Intl knows, an http(s) notification URL.
import { Cron } from 'croner';
import { z } from 'zod';
import { NOTIFY_FORMATS } from '../../lib/schedule-view.ts';

export const scheduleIdSchema = z
  .string()
  .regex(/^sch_[a-z0-9]{6,40}$/, 'a schedule id such as sch_ab12cd34');

const cronSchema = z
  .string()
  .trim()
  .min(1, 'a cron expression, e.g. "0 3 * * *" (03:00 daily)')
  .max(200)
  .superRefine((cron, ctx) => {
    try {
      const next = new Cron(cron, { paused: true }).nextRun();
      if (next === null) ctx.addIssue({ code: 'custom', message: `cron "${cron}" never fires` });
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid cron "${cron}": ${(error as Error).message.replace(/^CronPattern: /, '')}`,
      });
    }
  });

const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not an IANA time zone (e.g. Europe/Berlin, UTC)' },
  );

const notifyUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    message: 'the notification URL must be an http(s) URL',
  });

export const scheduleInputSchema = z
  .object({
    name: z.string().trim().min(1, 'name the schedule').max(100),
    scenario: z.string().regex(/^[\w.-]{1,100}$/, 'a scenario name such as smoke'),
    params: z.record(z.string(), z.unknown()),
    cron: cronSchema,
    timeZone: timeZoneSchema,
    notifyUrl: z.union([notifyUrlSchema, z.literal('')]).optional(),
    notifyFormat: z.enum(NOTIFY_FORMATS).default('webhook'),
  })
  .strict();

export type ScheduleInput = z.infer<typeof scheduleInputSchema>;
