// Scrape targets as configured (COLLECTOR_SCRAPE_TARGETS, a JSON list): validated with zod, with
// Prometheus' defaults (15 s interval, 10 s timeout, never longer than the interval).
import { z } from 'zod';

const duration = z
  .union([
    z.number().positive().max(86_400),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration such as 500ms, 15s, 1m or 1h'),
  ])
  .transform((d) => {
    if (typeof d === 'number') return Math.round(d * 1000);
    const [, n, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d) as unknown as [string, string, string];
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    return Math.round(Number(n) * factor);
  });

export const scrapeTargetSchema = z
  .object({
    job: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'job must be 1–100 letters, digits, _ . : -'),
    url: z.url({
      protocol: /^https?$/,
      message: 'url must be an http(s) URL such as http://127.0.0.1:8080/metrics',
    }),
    /** Seconds (number) or a duration string; default 15 s. */
    interval: duration.default(15_000),
    /** Default 10 s, capped at the interval. */
    timeout: duration.optional(),
  })
  .strict()
  .transform((t) => ({
    job: t.job,
    url: t.url,
    intervalMs: Math.max(t.interval, 100),
    timeoutMs: Math.min(t.timeout ?? 10_000, t.interval),
  }))
  .refine((t) => t.timeoutMs > 0, 'timeout must be positive');

export type ScrapeTargetConfig = z.output<typeof scrapeTargetSchema>;

export const scrapeTargetsSchema = z.array(scrapeTargetSchema).max(1000);

/** Parses COLLECTOR_SCRAPE_TARGETS (JSON); throws with every problem listed. */
export function parseScrapeTargets(json: string): ScrapeTargetConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`COLLECTOR_SCRAPE_TARGETS must be JSON: ${(error as Error).message}`);
  }
  const result = scrapeTargetsSchema.safeParse(raw);
  if (!result.success)
    throw new Error(
      `COLLECTOR_SCRAPE_TARGETS: ${result.error.issues.map((i) => `${i.path.join('.') || '(list)'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}
