// Rate-limited log lines: at most one line per key (a sender and a reason) per interval. Events in
// between are counted, and the next line for that key says how many were left out, so a sender
// that keeps failing cannot flood the log while none of its refusals goes unmentioned.

export interface RateLimitedLogOptions {
  /** Shortest time between two lines of one key (default 60 s). */
  intervalMs?: number;
  write?: (line: string) => void;
  now?: () => number;
}

interface KeyState {
  lastLineAt: number;
  suppressedEvents: number;
  suppressedItems: number;
}

export class RateLimitedLog {
  readonly intervalMs: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly keys = new Map<string, KeyState>();

  constructor(options: RateLimitedLogOptions = {}) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.write = options.write ?? ((line) => console.warn(line));
    this.now = options.now ?? Date.now;
  }

  /**
   * Writes `line` unless this key had a line within the interval; then the event (and its items)
   * is counted towards the next line's "left out" note. The caller bounds the number of keys.
   */
  event(key: string, items: number, line: () => string): void {
    const now = this.now();
    const state = this.keys.get(key);
    if (state && now - state.lastLineAt < this.intervalMs) {
      state.suppressedEvents++;
      state.suppressedItems += items;
      return;
    }
    this.write(`${line()}${state ? leftOut(state, now) : ''}`);
    this.keys.set(key, { lastLineAt: now, suppressedEvents: 0, suppressedItems: 0 });
  }

  /** Reports the events left out since each key's last line (at shutdown). */
  flush(describe: (key: string) => string): void {
    const now = this.now();
    for (const [key, state] of this.keys) {
      if (state.suppressedEvents > 0) this.write(`${describe(key)}${leftOut(state, now)}`);
      state.suppressedEvents = 0;
      state.suppressedItems = 0;
    }
  }
}

function leftOut(state: KeyState, now: number): string {
  if (state.suppressedEvents === 0) return '';
  const seconds = Math.round((now - state.lastLineAt) / 1000);
  return ` (${state.suppressedEvents} more like it in the ${seconds} s before, not logged: ${state.suppressedItems} items)`;
}
