// The target's setting changes (chaos, experiments' optimisation switches) for the charts' change
// markers: a page's charts over a range get the changes in it, now and every 5 s after.
// Its own router, beside `metrics` (the Overview's traffic): the charts of the service page use it too.
import { z } from 'zod';
import type { ChangeMarker } from '../../lib/change-markers.ts';
import { TIME_RANGE_KEYS, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import { readChangeMarkers } from '../change-markers.ts';
import { polled } from '../live.ts';
import type { Services } from '../services.ts';
import { snapshotCacheOf } from '../shared-snapshot.ts';
import { router, viewerProcedure } from '../trpc.ts';

export const CHANGES_INTERVAL_MS = 5000;

export interface ChangeMarkersSnapshot {
  range: TimeRange;
  from: number;
  to: number;
  markers: ChangeMarker[];
  /** Set when the audit log could not be read; no markers then. */
  error: string | null;
}

/** The range up to now, one step wider than the charts' window: each chart keeps those in its own. */
export async function readRangeChanges(
  services: Pick<Services, 'audit'>,
  range: TimeRange,
  now: number,
): Promise<ChangeMarkersSnapshot> {
  const { seconds, stepSeconds } = TIME_RANGES[range];
  const window = { from: now - (seconds + stepSeconds) * 1000, to: now };
  try {
    return { range, ...window, markers: await readChangeMarkers(services.audit, window), error: null };
  } catch (error) {
    return { range, ...window, markers: [], error: `audit log read failed: ${(error as Error).message}` };
  }
}

const windowInput = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
  .refine((w) => w.from <= w.to, 'from must not be after to');

export const changesRouter = router({
  /** The changes between `from` and `to` (Unix ms), oldest first, the newest 20 at most. */
  forWindow: viewerProcedure
    .input(windowInput)
    .query(({ ctx, input }) => readChangeMarkers(ctx.services.audit, input)),

  /** The changes over a chart range, now and every 5 s after. */
  live: viewerProcedure
    .input(z.object({ range: z.enum(TIME_RANGE_KEYS as [TimeRange, ...TimeRange[]]) }))
    .subscription(async function* ({ ctx, input, signal }) {
      const shared = snapshotCacheOf(ctx.services);
      const read = () =>
        shared.get(`changes.live:${input.range}`, CHANGES_INTERVAL_MS, () =>
          readRangeChanges(ctx.services, input.range, Date.now()),
        );
      yield* polled(read, CHANGES_INTERVAL_MS, signal);
    }),
});
