// Smoke: a couple of VUs browsing for a short while — does the target work and meet the plan's targets?
// Env: BASE_URL (required), VUS (default 2), DURATION (default 20s), SUMMARY_PATH (summary JSON file).
import { browse } from '../lib/journeys.js';
import { writeSummary } from '../lib/summary.js';
import { planThresholds, routeBreakdown, summaryTrendStats } from '../lib/thresholds.js';

const baseUrl = __ENV.BASE_URL;
if (!baseUrl) throw new Error('BASE_URL is required, e.g. -e BASE_URL=http://127.0.0.1:8080');

export const options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 2),
      duration: __ENV.DURATION || '20s',
      gracefulStop: '5s',
    },
  },
  thresholds: { ...planThresholds, ...routeBreakdown() },
  summaryTrendStats,
};

export default function () {
  browse(baseUrl.replace(/\/+$/, ''));
}

export function handleSummary(data) {
  return writeSummary('smoke', data);
}
