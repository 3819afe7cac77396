// Chaos: a memory leak on purpose. Retains `mbPerSec` of JS heap per second (arrays of doubles, so
// both heap used and RSS grow, as with a real leak) until `capMb` is held; switching it off drops
// every reference, and the next garbage collections give the memory back.

const TICK_MS = 100;
const MB = 1024 * 1024;
/** A packed double array costs 8 bytes per element: this many elements is one MiB. */
const DOUBLES_PER_MB = MB / 8;

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
    while (owed >= 1 && bytes + MB <= cap * MB) {
      // 0.5 is not a small integer: V8 stores the array as packed doubles, 8 bytes each.
      retained.push(new Array<number>(DOUBLES_PER_MB).fill(0.5));
      bytes += MB;
      owed -= 1;
    }
    if (bytes + MB > cap * MB) owed = 0;
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
