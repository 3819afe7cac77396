// Bench: how many requests per second one k6 process generates against the target's cheapest
// endpoint (GET /health), with no think time and response bodies discarded.
// Env: BASE_URL (required), VUS (default 20), DURATION (default 10s).
import http from 'k6/http';

export const options = {
  scenarios: {
    health: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 20),
      duration: __ENV.DURATION || '10s',
    },
  },
  discardResponseBodies: true,
  summaryTrendStats: ['med', 'p(95)', 'max', 'count'],
};

export default function () {
  http.get(`${__ENV.BASE_URL}/health`, { tags: { name: 'GET /health' } });
}

export function handleSummary(data) {
  return __ENV.SUMMARY_PATH ? { [__ENV.SUMMARY_PATH]: JSON.stringify(data) } : {};
}
