// Smoke: a couple of VUs covering every journey (signed-in user, price feed, browse) for a short
// while — does the target work and meet the plan's targets? Pauses are short (a check, not a crowd),
// so even a 5-second smoke makes enough requests for its one sign-up to be a fair share of them.
// Env: BASE_URL (required), VUS (default 2), DURATION (default 20s), THINK (s, default 0.3),
// SUMMARY_PATH (summary JSON file).
import { smokeJourney } from '../lib/journey-mix.js';
import { thinkTime } from '../lib/profile.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const baseUrl = targetUrl();
const vus = Number(__ENV.VUS || 2);
const think = __ENV.THINK === undefined ? 0.3 : thinkTime();

export const options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus,
      duration: __ENV.DURATION || '20s',
      gracefulStop: '5s',
    },
  },
  thresholds: scenarioThresholds(),
  summaryTrendStats,
};

export default function () {
  smokeJourney(baseUrl, vus, think);
}

export function handleSummary(data) {
  return writeSummary('smoke', data);
}
