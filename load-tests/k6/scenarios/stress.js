// Stress: beyond the expected traffic, in steps up to the plan's 50,000 concurrent users, then down —
// where does latency give, do errors appear, does it recover?
// Env: BASE_URL (required), SCALE (0 < s ≤ 1, default 1), DURATION (default 40m), THINK (s), SUMMARY_PATH.
import { mixedJourney } from '../lib/journey-mix.js';
import { scaled, stagesOf, thinkTime, totalMs } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const PLAN = { peakVus: 50000, duration: '40m' };
const baseUrl = targetUrl();
const think = thinkTime();

export const options = {
  scenarios: {
    stress: {
      executor: 'ramping-vus',
      startVUs: 0,
      // Steps of 20 %, 50 %, 80 % and 100 % of the peak (ramp, hold), then back to zero.
      stages: stagesOf(totalMs(PLAN.duration), scaled(PLAN.peakVus), [
        [0.1, 0.2],
        [0.1, 0.2],
        [0.1, 0.5],
        [0.1, 0.5],
        [0.1, 0.8],
        [0.1, 0.8],
        [0.1, 1],
        [0.2, 1],
        [0.1, 0],
      ]),
      gracefulRampDown: '5s',
      gracefulStop: '5s',
    },
  },
  thresholds: scenarioThresholds(),
  summaryTrendStats,
};

export default function () {
  mixedJourney(baseUrl, think);
}

export function handleSummary(data) {
  return writeSummary('stress', data);
}
