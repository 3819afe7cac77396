// Smoke: a couple of VUs browsing for a short while — does the target work and meet the plan's targets?
// Env: BASE_URL (required), VUS (default 2), DURATION (default 20s), SUMMARY_PATH (summary JSON file).
import { browse } from '../lib/journeys.js';
import { writeSummary } from '../lib/summary.js';
import { targetUrl } from '../lib/target.js';
import { scenarioThresholds, summaryTrendStats } from '../lib/thresholds.js';

const baseUrl = targetUrl();

export const options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 2),
      duration: __ENV.DURATION || '20s',
      gracefulStop: '5s',
    },
  },
  thresholds: scenarioThresholds(),
  summaryTrendStats,
};

export default function () {
  browse(baseUrl);
}

export function handleSummary(data) {
  return writeSummary('smoke', data);
}
