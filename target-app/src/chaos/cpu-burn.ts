// Chaos: CPU burn. In every 100 ms window the event loop spins for `share` of it, so requests queue
// behind it the way they would behind real CPU-bound work, and event-loop utilisation shows it.

const WINDOW_MS = 100;

export type CpuBurn = {
  set(share: number): void;
  stop(): void;
};

export function createCpuBurn(): CpuBurn {
  let share = 0;
  let timer: NodeJS.Timeout | undefined;

  // Spin, then stay idle for the rest of the window (a setTimeout chain, so a new share applies at once).
  function cycle(): void {
    timer = undefined;
    if (share === 0) return;
    const until = performance.now() + share * WINDOW_MS;
    while (performance.now() < until) {
      // Busy on purpose.
    }
    timer = setTimeout(cycle, Math.max(1, WINDOW_MS * (1 - share)));
    timer.unref();
  }

  return {
    set(next) {
      share = next;
      if (share === 0) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined) {
        timer = setTimeout(cycle, 0);
        timer.unref();
      }
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      share = 0;
    },
  };
}
