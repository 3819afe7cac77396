// One Prometheus scrape target: fetches its /metrics within the timeout and the size limit,
// parses it, and returns OTLP-model metrics plus the scrape-health gauges (`up`,
// `scrape_duration_seconds`, `scrape_samples_scraped`, attributes job and instance). A failing,
// slow or unparsable target yields up=0 and an error, never an exception.
//
// Start times: Prometheus exposes none, yet the normaliser needs one to tell a new series (count
// it whole) from one that predates the collector (first point is only a baseline). A series seen
// on the first scrape starts at the target's process_start_time_seconds when exposed (else
// unknown → baseline); a series that appears on a later scrape was born since the previous one, so
// it starts then. A new process start time (restart) starts every series again.
import type { ResourceMetrics } from '../otlp/model.ts';
import { parsePromText } from './prom-text.ts';
import { familiesToMetrics } from './prom-to-metrics.ts';
import type { ScrapeTargetConfig } from './scrape-config.ts';

export interface ScrapeHealth {
  job: string;
  instance: string;
  url: string;
  up: boolean;
  /** Unix ms of the last scrape's start. */
  lastScrapeMs: number | null;
  durationSeconds: number;
  samples: number;
  lastError: string | null;
}

export interface ScrapeResult {
  data: ResourceMetrics[];
  health: ScrapeHealth;
}

const scope = {
  name: 'collector/prometheus-scrape',
  version: '0.1.0',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
};

export class ScrapeTarget {
  readonly config: ScrapeTargetConfig;
  readonly instance: string;
  private readonly maxBodyBytes: number;
  private processStart: bigint | undefined;
  private lastSuccessNanos: bigint | undefined;
  /** Start time per series of the last successful scrape (bounded by the target's own size). */
  private seriesStart = new Map<string, bigint>();
  health: ScrapeHealth;

  constructor(config: ScrapeTargetConfig, maxBodyBytes: number) {
    this.config = config;
    this.maxBodyBytes = maxBodyBytes;
    this.instance = new URL(config.url).host;
    this.health = {
      job: config.job,
      instance: this.instance,
      url: config.url,
      up: false,
      lastScrapeMs: null,
      durationSeconds: 0,
      samples: 0,
      lastError: null,
    };
  }

  async scrape(): Promise<ScrapeResult> {
    const startedMs = Date.now();
    const started = performance.now();
    const timeNanos = BigInt(startedMs) * 1_000_000n;
    let data: ResourceMetrics['scopeMetrics'][number]['metrics'] = [];
    let samples = 0;
    let error: string | null = null;
    try {
      const text = await this.fetchText();
      const families = parsePromText(text);
      samples = families.reduce((n, f) => n + f.samples.length, 0);
      data = this.convert(families, timeNanos);
    } catch (e) {
      error =
        (e as Error)?.name === 'TimeoutError'
          ? `scrape timed out after ${this.config.timeoutMs} ms`
          : String((e as Error)?.message ?? e);
    }
    const durationSeconds = (performance.now() - started) / 1000;
    this.health = {
      ...this.health,
      up: error === null,
      lastScrapeMs: startedMs,
      durationSeconds,
      samples,
      lastError: error,
    };
    const attributes = { job: this.config.job, instance: this.instance };
    const gauge = (name: string, description: string, unit: string, value: number) => ({
      name,
      description,
      unit,
      type: 'gauge' as const,
      points: [
        { attributes, startTimeUnixNano: 0n, timeUnixNano: timeNanos, value, flags: 0, exemplars: [] },
      ],
    });
    const health = [
      gauge('up', 'Whether the last scrape of the target succeeded.', '', error === null ? 1 : 0),
      gauge('scrape_duration_seconds', 'Duration of the scrape.', 's', durationSeconds),
      gauge('scrape_samples_scraped', 'Samples the target exposed.', '', samples),
    ];
    const resource = {
      attributes: { 'service.name': this.config.job, 'service.instance.id': this.instance },
      schemaUrl: '',
    };
    return {
      data: [{ resource, scopeMetrics: [{ scope, metrics: [...data, ...health] }] }],
      health: this.health,
    };
  }

  private convert(families: ReturnType<typeof parsePromText>, timeNanos: bigint) {
    const processStartFamily = families.find((f) => f.name === 'process_start_time_seconds');
    const processStartSeconds = processStartFamily?.samples[0]?.value;
    const processStart =
      processStartSeconds !== undefined && Number.isFinite(processStartSeconds) && processStartSeconds > 0
        ? BigInt(Math.round(processStartSeconds * 1000)) * 1_000_000n
        : undefined;
    const restarted = this.processStart !== undefined && processStart !== this.processStart;
    if (restarted) {
      this.seriesStart.clear();
      this.lastSuccessNanos = undefined;
    }
    const previous = this.seriesStart;
    const seen = new Map<string, bigint>();
    const bornAt = restarted ? processStart : (this.lastSuccessNanos ?? processStart ?? 0n);
    const metrics = familiesToMetrics(families, {
      timeUnixNano: timeNanos,
      startOf: (key) => {
        const start = seen.get(key) ?? previous.get(key) ?? bornAt ?? 0n;
        seen.set(key, start);
        return start;
      },
    });
    this.seriesStart = seen;
    this.processStart = processStart;
    this.lastSuccessNanos = timeNanos;
    return metrics;
  }

  private async fetchText(): Promise<string> {
    const response = await fetch(this.config.url, {
      signal: AbortSignal.timeout(this.config.timeoutMs),
      headers: {
        accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
        'x-prometheus-scrape-timeout-seconds': String(this.config.timeoutMs / 1000),
        // The product's own traffic says so: a target that knows the header (ours does) keeps
        // scrapes out of its API's figures, whatever path its metrics are served on.
        'x-synthetic': 'collector-scrape',
      },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} from ${this.config.url}`);
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    // A reader loop rather than for-await: DOM typings (the dashboard's) lack the async iterator.
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      bytes += next.value.length;
      if (bytes > this.maxBodyBytes) {
        await reader.cancel();
        throw new Error(`body exceeds ${this.maxBodyBytes} bytes`);
      }
      chunks.push(next.value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
