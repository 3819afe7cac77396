// Spike: a quiet baseline, a sudden surge to 20,000 users (twice the plan's load), a sudden drop —
// does the target absorb it and recover to baseline latency?
// Env: BASE_URL (required), SCALE (0 < s ≤ 1, default 1), DURATION (default 10m), THINK (s), SUMMARY_PATH.
import { mixedJourney } from '../lib/journey-mix.js';
import { scaled, stagesOf, thinkTime, totalMs } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const PLAN = { peakVus: 20000, duration: '10m' };
const baseUrl = targetUrl();
const think = thinkTime();

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: 0,
      // Baseline at 10 % of the peak, surge within 5 % of the run, hold, drop as fast, recover.
      stages: stagesOf(totalMs(PLAN.duration), scaled(PLAN.peakVus), [
        [0.1, 0.1],
        [0.3, 0.1],
        [0.05, 1],
        [0.15, 1],
        [0.05, 0.1],
        [0.25, 0.1],
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
  return writeSummary('spike', data);
}
