// Scrapes each configured target on its own interval (no overlapping scrapes of one target) and
// hands the result to the collector's metric ingest — the same normaliser and writer as OTLP.
// A failing store is logged and counted, never thrown: a scrape loop must outlive outages.
import type { ResourceMetrics } from '../otlp/model.ts';
import type { ScrapeTargetConfig } from './scrape-config.ts';
import { type ScrapeHealth, ScrapeTarget } from './scrape-target.ts';

export interface ScraperOptions {
  targets: ScrapeTargetConfig[];
  ingest(data: ResourceMetrics[]): Promise<void>;
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface Scraper {
  /** The last scrape of every target. */
  health(): ScrapeHealth[];
  /** Scrapes every target now (tests, and a final scrape on demand). */
  scrapeAll(): Promise<void>;
  stop(): Promise<void>;
}

export function startScraper(options: ScraperOptions): Scraper {
  const targets = options.targets.map((t) => new ScrapeTarget(t, options.maxBodyBytes ?? 20 * 1024 * 1024));
  const timers = new Map<ScrapeTarget, NodeJS.Timeout>();
  const running = new Map<ScrapeTarget, Promise<void>>();
  let stopped = false;

  function scrapeOnce(target: ScrapeTarget): Promise<void> {
    const already = running.get(target);
    if (already) return already;
    const run = (async () => {
      const result = await target.scrape();
      try {
        await options.ingest(result.data);
      } catch (error) {
        target.health = { ...target.health, lastError: `not stored: ${(error as Error)?.message ?? error}` };
        options.log?.(`scrape ${target.config.job} ${target.config.url}: ${target.health.lastError}`);
      }
    })().finally(() => running.delete(target));
    running.set(target, run);
    return run;
  }

  function schedule(target: ScrapeTarget, delayMs: number): void {
    if (stopped) return;
    const timer = setTimeout(async () => {
      const started = Date.now();
      await scrapeOnce(target);
      schedule(target, Math.max(0, target.config.intervalMs - (Date.now() - started)));
    }, delayMs);
    timer.unref();
    timers.set(target, timer);
  }

  for (const target of targets) schedule(target, 0);

  return {
    health: () => targets.map((t) => t.health),
    async scrapeAll() {
      await Promise.all(targets.map(scrapeOnce));
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running.values()]);
    },
  };
}
