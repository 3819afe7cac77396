// Load shapes shared by the scenarios: the plan's figures multiplied by SCALE and stretched to
// DURATION, so one script serves a 10-second check on a laptop and the full-size run.
// Env: SCALE (0 < s ≤ 1, default 1), DURATION (k6 duration, default the plan's), THINK (seconds).

const DURATION_RE = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000 };

export function durationMs(text) {
  const m = DURATION_RE.exec(String(text));
  if (!m) throw new Error(`DURATION must be a k6 duration such as 30s or 10m, got "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** The SCALE factor the launcher validated (0 < scale ≤ 1). */
export function scale() {
  const s = Number(__ENV.SCALE || 1);
  if (!(s > 0 && s <= 1)) throw new Error(`SCALE must be in (0, 1], got "${__ENV.SCALE}"`);
  return s;
}

/** Total run length in ms: the DURATION override or the plan's default. */
export function totalMs(planDuration) {
  return durationMs(__ENV.DURATION || planDuration);
}

/** Seconds of think time between a user's steps (THINK env, default 1). */
export function thinkTime() {
  const t = Number(__ENV.THINK ?? 1);
  return Number.isFinite(t) && t >= 0 ? t : 1;
}

/** A plan figure (VUs, rate) at the current scale; never below 1. */
export function scaled(planFigure, s = scale()) {
  return Math.max(1, Math.round(planFigure * s));
}

/**
 * k6 stages from a shape: [[fraction of the total time, fraction of the peak], ...]. Boundaries are
 * rounded cumulatively so the stages add up to exactly `total` ms.
 */
export function stagesOf(total, peak, shape) {
  const out = [];
  let elapsedFraction = 0;
  let previousEnd = 0;
  for (const [timeFraction, level] of shape) {
    elapsedFraction += timeFraction;
    const end = Math.round(total * Math.min(1, elapsedFraction));
    out.push({
      duration: `${Math.max(1, end - previousEnd)}ms`,
      target: level === 0 ? 0 : Math.max(1, Math.round(peak * level)),
    });
    previousEnd = end;
  }
  return out;
}

/** How long before an abortOnFail threshold may stop the run: 5 % of it, between 1 s and 30 s. */
export function abortDelay(total) {
  return `${Math.min(30, Math.max(1, Math.round(total / 20000)))}s`;
}
