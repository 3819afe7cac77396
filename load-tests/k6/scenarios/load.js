// Load: the plan's expected traffic — 10,000 concurrent users browsing — ramped up, held, ramped down.
// Env: BASE_URL (required), SCALE (0 < s ≤ 1, default 1), DURATION (default 30m), THINK (s), SUMMARY_PATH.
import { mixedJourney } from '../lib/journey-mix.js';
import { scaled, stagesOf, thinkTime, totalMs } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const PLAN = { peakVus: 10000, duration: '30m' };
const baseUrl = targetUrl();
const think = thinkTime();

export const options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 0,
      // 10 % ramp-up, 80 % at the plan's level, 10 % ramp-down.
      stages: stagesOf(totalMs(PLAN.duration), scaled(PLAN.peakVus), [
        [0.1, 1],
        [0.8, 1],
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
  return writeSummary('load', data);
}
