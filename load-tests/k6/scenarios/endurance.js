// Endurance (soak): the plan's 10,000 concurrent users for 24 hours — leaks, pool exhaustion, slow drift.
// k6 keeps every Trend sample for the summary, so memory grows with the run: watch it on long runs.
// Env: BASE_URL (required), SCALE (0 < s ≤ 1, default 1), DURATION (default 24h), THINK (s), SUMMARY_PATH.
import { mixedJourney } from '../lib/journey-mix.js';
import { scaled, stagesOf, thinkTime, totalMs } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const PLAN = { peakVus: 10000, duration: '24h' };
const baseUrl = targetUrl();
const think = thinkTime();

export const options = {
  scenarios: {
    endurance: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: stagesOf(totalMs(PLAN.duration), scaled(PLAN.peakVus), [
        [0.02, 1],
        [0.96, 1],
        [0.02, 0],
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
  return writeSummary('endurance', data);
}
