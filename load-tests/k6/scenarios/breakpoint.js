// Breakpoint: user sessions arriving at a rate ramped from zero towards 20,000 per second until a
// plan threshold fails — then abortOnFail ends the run (exit 99); the rate reached is the capacity.
// Env: BASE_URL (required), SCALE (0 < s ≤ 1, default 1), DURATION (default 1h), THINK (s), SUMMARY_PATH.
import { mixedJourney } from '../lib/journey-mix.js';
import { abortDelay, scaled, stagesOf, thinkTime, totalMs } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const PLAN = { peakRate: 20000, maxVus: 50000, duration: '1h' };
const baseUrl = targetUrl();
const think = thinkTime();
const total = totalMs(PLAN.duration);
const maxVUs = scaled(PLAN.maxVus);
const peakRate = scaled(PLAN.peakRate);

export const options = {
  scenarios: {
    breakpoint: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      preAllocatedVUs: Math.max(1, Math.round(maxVUs / 10)),
      maxVUs,
      stages: stagesOf(total, peakRate, [[1, 1]]),
      gracefulStop: '5s',
    },
  },
  thresholds: scenarioThresholds({ abortOnFail: true, delayAbortEval: abortDelay(total) }),
  summaryTrendStats,
};

export default function () {
  mixedJourney(baseUrl, think);
}

/** The ramp is linear, so the time the thresholds stopped the run gives the arrival rate it reached. */
export function handleSummary(data) {
  const elapsed = data.state?.testRunDurationMs ?? 0;
  const reached = peakRate * Math.min(1, elapsed / total);
  const out = writeSummary('breakpoint', data);
  out.stdout += `  arrival rate reached ≈ ${reached.toFixed(1)} sessions/s of ${peakRate} planned at this scale\n`;
  return out;
}
