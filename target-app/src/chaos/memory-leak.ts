// Chaos: a memory leak on purpose. Retains `mbPerSec` of JS heap per second (arrays of doubles, so
// both heap used and RSS grow, as with a real leak) until `capMb` is held; switching it off drops
// every reference, and the next garbage collections give the memory back. It also stops while the
// heap has less than HEAP_HEADROOM_MB left under V8's limit (the target runs with the old generation
// capped to fit its memory budget): the leak shows on the charts, it does not crash the service.
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const TICK_MS = 100;
const MB = 1024 * 1024;
/** A packed double array costs 8 bytes per element: this many elements is one MiB. */
const DOUBLES_PER_MB = MB / 8;
const HEAP_HEADROOM_MB = 48;

/**
 * The old generation's limit: `--max-old-space-size` when the process was started with it (V8's
 * heap_size_limit adds three semi-spaces of young generation on top, which the leak cannot use),
 * else V8's whole limit.
 */
function oldGenerationLimitBytes(): number {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const flag = flags.map((f) => /^--max-old-space-size=(\d+)$/.exec(f)?.[1]).findLast((v) => v !== undefined);
  return flag === undefined ? getHeapStatistics().heap_size_limit : Number(flag) * MB;
}

/** Whether one more MiB fits in the old generation with the headroom the service needs. */
function heapHasRoom(): boolean {
  const heap = getHeapStatistics();
  const young =
    getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;
  return heap.used_heap_size - young + (HEAP_HEADROOM_MB + 1) * MB <= oldGenerationLimitBytes();
}

export type MemoryLeak = {
  set(mbPerSec: number, capMb: number): void;
  retainedBytes(): number;
  stop(): void;
};

export function createMemoryLeak(): MemoryLeak {
  let retained: number[][] = [];
  let bytes = 0;
  let rate = 0;
  let cap = 0;
  let timer: NodeJS.Timeout | undefined;
  // Fractions of a MiB carried between ticks, so low rates (0.5 MB/s) still leak at their pace.
  let owed = 0;

  function tick(): void {
    owed += (rate * TICK_MS) / 1000;
    while (owed >= 1 && bytes + MB <= cap * MB && heapHasRoom()) {
      // 0.5 is not a small integer: V8 stores the array as packed doubles, 8 bytes each.
      retained.push(new Array<number>(DOUBLES_PER_MB).fill(0.5));
      bytes += MB;
      owed -= 1;
    }
    if (bytes + MB > cap * MB || !heapHasRoom()) owed = 0;
  }

  return {
    set(mbPerSec, capMb) {
      rate = mbPerSec;
      cap = capMb;
      if (rate === 0) {
        clearInterval(timer);
        timer = undefined;
        retained = [];
        bytes = 0;
        owed = 0;
        return;
      }
      // A lower cap gives back what is above it at once.
      while (bytes > cap * MB) {
        retained.pop();
        bytes -= MB;
      }
      if (timer === undefined) {
        timer = setInterval(tick, TICK_MS);
        timer.unref();
      }
    },
    retainedBytes: () => bytes,
    stop() {
      clearInterval(timer);
      timer = undefined;
      retained = [];
      bytes = 0;
    },
  };
}
