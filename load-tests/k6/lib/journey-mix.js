// Which journey a VU plays. A VU is one person, so the choice is fixed per VU (by its id): most
// browse anonymously, some are signed-in users with favourites, a few keep a price feed open.
// Shares per 20 VUs: 16 browse (80 %), 3 account (15 %), 1 watcher (5 %); the first five VUs
// already hold one of each, so even a tiny-scale run exercises every journey.
import exec from 'k6/execution';
import { browse } from './journeys.js';
import { accountVisit } from './journeys-account.js';
import { watchJourney } from './journeys-realtime.js';

const ACCOUNT_SLOTS = [1, 8, 14];
const WATCH_SLOTS = [3];

/** 'browse' | 'account' | 'watch' for a VU id (1-based). */
export function journeyOf(vuId) {
  const slot = (vuId - 1) % 20;
  if (WATCH_SLOTS.includes(slot)) return 'watch';
  if (ACCOUNT_SLOTS.includes(slot)) return 'account';
  return 'browse';
}

/** Runs one journey; a watcher holds its socket for ~10 think times (10 s at the default). */
export function runJourney(kind, baseUrl, think) {
  switch (kind) {
    case 'account':
      return accountVisit(baseUrl, think);
    case 'watch':
      return watchJourney(baseUrl, Math.max(2, 10 * think), think);
    default:
      return browse(baseUrl, think);
  }
}

/** The mixed traffic of the scaled scenarios: this VU's journey. */
export function mixedJourney(baseUrl, think) {
  runJourney(journeyOf(exec.vu.idInTest), baseUrl, think);
}

const SMOKE_ROTATION = ['account', 'watch', 'browse'];

/**
 * Smoke: VU 1 is the signed-in user on every iteration (one sign-up per run: bcrypt logins are
 * few, as in real traffic), the other VUs alternate price feed and browse, starting at different
 * ends, so two VUs cover all three journeys at once. A lone VU rotates through all three. Short
 * watches keep it brief.
 */
export function smokeJourney(baseUrl, vus, think) {
  const vu = exec.vu.idInTest;
  const iteration = exec.vu.iterationInScenario;
  let kind;
  if (vus <= 1) kind = SMOKE_ROTATION[iteration % SMOKE_ROTATION.length];
  else if (vu === 1) kind = 'account';
  else kind = (vu + iteration) % 2 === 0 ? 'watch' : 'browse';
  if (kind === 'watch') return watchJourney(baseUrl, 2, think);
  return runJourney(kind, baseUrl, think);
}
