// Price-watching journey: a user on a price-tracker page keeps a WebSocket open to /ws/prices,
// watching the cars they looked at plus a wider list, for a while, then leaves (clean close).
// Delivery latency is measured per message from the server's own timestamps (same clock on one
// machine; across machines it includes clock skew — keep watchers next to the target).
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { routes } from './thresholds.js';

/** The feed's `name` tag (ws_* metrics); not an HTTP route, so not in the per-route breakdown. */
export const PRICE_FEED_NAME = 'WS /ws/prices';

/** Receive time − the server's sentAt (written to the socket): the feed's delivery latency. */
export const realtimeLatency = new Trend('realtime_latency', true);
/** Receive time − changedAt (price committed): commit → bus → fan-out → client. */
export const realtimeChangeLatency = new Trend('realtime_change_latency', true);
/** Price messages received. */
export const realtimeMessages = new Counter('realtime_messages');

/**
 * How many cars one socket watches (env WATCH_CARS, default 500, the server's limit). The
 * target moves a few random prices a second across its whole catalogue, so a handful of ids would
 * see no message in a short run; a tracker list of a few hundred gives a measurable stream.
 */
const watchCount = Math.min(500, Math.max(1, Number(__ENV.WATCH_CARS) || 500));

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The cars on one search page, then random others from the catalogue (ids are 1..total). */
function carsToWatch(baseUrl) {
  const res = http.get(`${baseUrl}/api/cars?page=${1 + Math.floor(Math.random() * 3)}&pageSize=50`, {
    tags: { name: routes.search },
  });
  check(res, { 'search: status 200': (r) => r.status === 200 });
  let page;
  try {
    page = res.json();
  } catch {
    page = undefined;
  }
  const total = Number.isInteger(page?.total) && page.total > 0 ? page.total : 100;
  const ids = new Set(
    (Array.isArray(page?.items) ? page.items : []).map((c) => Number(c.id)).filter((id) => id > 0),
  );
  const wanted = Math.min(watchCount, total);
  while (ids.size < wanted) ids.add(1 + Math.floor(Math.random() * total));
  return [...ids].slice(0, watchCount);
}

/** Opens the feed, watches, holds it for `holdSeconds` (±25 %), closes with 1000. */
export function watchPrices(baseUrl, holdSeconds = 10) {
  const carIds = carsToWatch(baseUrl);
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws/prices`;
  const holdMs = Math.round(holdSeconds * 1000 * (0.75 + Math.random() / 2));
  const state = { opened: false, acknowledged: false, errors: 0 };
  let timer;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    check(state, {
      'price feed: connected': (s) => s.opened,
      'price feed: watch acknowledged': (s) => s.acknowledged,
      'price feed: no errors': (s) => s.errors === 0,
    });
  };

  const ws = new WebSocket(url, null, { tags: { name: PRICE_FEED_NAME } });
  ws.onopen = () => {
    state.opened = true;
    ws.send(JSON.stringify({ type: 'watch', carIds }));
    timer = setTimeout(() => ws.close(1000, 'done watching'), holdMs);
  };
  ws.onmessage = (event) => {
    const receivedAt = Date.now();
    const msg = parseJson(event.data);
    if (msg?.type === 'price' && typeof msg.sentAt === 'number') {
      realtimeMessages.add(1);
      realtimeLatency.add(Math.max(0, receivedAt - msg.sentAt));
      if (typeof msg.changedAt === 'number')
        realtimeChangeLatency.add(Math.max(0, receivedAt - msg.changedAt));
    } else if (msg?.type === 'watching') {
      state.acknowledged = true;
    } else if (msg?.type === 'error') {
      state.errors++;
    }
  };
  ws.onerror = () => {
    state.errors++;
    // A refused handshake never opens, and may never close: report it now.
    if (!state.opened) report();
  };
  ws.onclose = () => {
    if (timer !== undefined) clearTimeout(timer);
    report();
  };
}

/**
 * The journey: a pause on arrival (sleep blocks the VU's event loop, so it must come before the
 * socket, never while it is open), then the watching session; the iteration ends when it closes.
 */
export function watchJourney(baseUrl, holdSeconds, thinkTimeSeconds = 1) {
  if (thinkTimeSeconds > 0) sleep((thinkTimeSeconds / 2) * (0.5 + Math.random()));
  watchPrices(baseUrl, holdSeconds);
}
