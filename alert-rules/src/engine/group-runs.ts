// When rule groups run: each on its own interval (the next tick counted from the last one's start),
// and — for rules whose data just landed — at once, for just those rules. Runs of one group never
// overlap (each waits for the previous); groups run concurrently, as in Prometheus.
import type { Rule } from '../rule-schema.ts';

export interface GroupRuns {
  /** Runs a group now (or `only` these rules of it), after its previous run. */
  run(name: string, now: number, only?: ReadonlySet<string>): Promise<void>;
  /** Rules whose data landed: each of their groups runs just them, now. */
  onData(names: ReadonlySet<string>): void;
  start(): void;
  /** Stops the ticks and waits for the runs under way. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export function createGroupRuns(deps: {
  /** Group name → its rules, in file order. */
  groups: ReadonlyMap<string, readonly { rule: Rule }[]>;
  evaluate: (name: string, now: number, only?: ReadonlySet<string>) => Promise<void>;
  clock: () => number;
  log: (message: string) => void;
}): GroupRuns {
  const { groups, clock, log } = deps;
  const runs = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let running = false;

  function run(name: string, now: number, only?: ReadonlySet<string>): Promise<void> {
    const previous = runs.get(name) ?? Promise.resolve();
    const current = previous.then(() => deps.evaluate(name, now, only));
    runs.set(
      name,
      current.catch(() => undefined),
    );
    return current;
  }

  function schedule(name: string, first: Rule): void {
    const tick = async () => {
      const startedAt = clock();
      try {
        await run(name, startedAt);
      } catch (e) {
        log(`evaluating group ${first.group} (${first.file}) failed: ${String(e)}`);
      }
      if (!running) return;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          void tick();
        },
        Math.max(0, startedAt + first.intervalMs - clock()),
      );
      timers.add(timer);
    };
    void tick();
  }

  return {
    run,
    onData(names) {
      if (!running) return;
      const now = clock();
      for (const [name, members] of groups) {
        const due = new Set(members.map((m) => m.rule.alert).filter((alert) => names.has(alert)));
        if (due.size === 0) continue;
        run(name, now, due).catch((e: unknown) =>
          log(`evaluating ${[...due].join(', ')} on arriving data failed: ${String(e)}`),
        );
      }
    },
    start() {
      if (running) return;
      running = true;
      for (const [name, members] of groups) schedule(name, members[0]!.rule);
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(runs.values());
    },
    get running() {
      return running;
    },
  };
}
