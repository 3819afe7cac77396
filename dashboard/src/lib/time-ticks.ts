// Time-axis ticks at round intervals (…, 10 s, 30 s, 1 min, 5 min, …) so labels neither repeat
// ("23:01, 23:01") nor crowd, with seconds shown only when the interval is under a minute.

const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600].map((s) => s * 1000);

export interface TimeTicks {
  ticks: number[];
  stepMs: number;
}

/** Round-interval ticks inside [from, to], at most `maxTicks` of them. */
export function timeTicks(from: number, to: number, maxTicks = 8): TimeTicks {
  const span = Math.max(0, to - from);
  const stepMs = STEPS_MS.find((s) => span / s <= maxTicks) ?? STEPS_MS[STEPS_MS.length - 1]!;
  // Align to the local clock so 5-minute ticks land on :00, :05, … in the viewer's zone.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const first = Math.ceil((from - offset) / stepMs) * stepMs + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/** The label of a tick: HH:MM:SS under one-minute intervals, HH:MM otherwise. */
export function formatTick(t: number, stepMs: number): string {
  return new Date(t).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    ...(stepMs < 60_000 ? { second: '2-digit' } : {}),
    hour12: false,
  });
}
