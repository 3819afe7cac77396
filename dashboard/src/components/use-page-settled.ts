'use client';
// "The page has loaded and gone quiet": the moment for work the first view does not need (live
// streams, interactive charts), so it never competes with loading. Quiet means no long task
// (over 50 ms) on the main thread for QUIET_MS after the load event, as Time to Interactive
// counts it; MAX_WAIT_MS bounds the wait on a busy machine. Once per page load: pages reached
// later by client-side navigation see it as settled at once.
import { useEffect, useState } from 'react';

const QUIET_MS = 3_000;
const MAX_WAIT_MS = 10_000;

let settled = false;
let scheduled = false;
const waiting = new Set<() => void>();

function settle(): void {
  if (settled) return;
  settled = true;
  for (const wake of waiting) wake();
  waiting.clear();
}

function waitForQuiet(): void {
  let quiet = setTimeout(done, QUIET_MS);
  const deadline = setTimeout(done, MAX_WAIT_MS);
  let observer: PerformanceObserver | undefined;
  if (PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
    observer = new PerformanceObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(done, QUIET_MS);
    });
    observer.observe({ type: 'longtask' });
  }
  function done() {
    clearTimeout(quiet);
    clearTimeout(deadline);
    observer?.disconnect();
    settle();
  }
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (document.readyState === 'complete') waitForQuiet();
  else window.addEventListener('load', waitForQuiet, { once: true });
}

/** False during the server render and the page's first load; true once the page has settled. */
export function usePageSettled(): boolean {
  const [isSettled, setSettled] = useState(settled);
  useEffect(() => {
    if (settled) {
      setSettled(true);
      return;
    }
    const wake = () => setSettled(true);
    waiting.add(wake);
    schedule();
    return () => {
      waiting.delete(wake);
    };
  }, []);
  return isSettled;
}
