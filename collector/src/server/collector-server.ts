// The collector, composed: the write path (on-disk queue, batch writer, replayer, request ledger,
// delta state: write-path.ts), the OTLP/HTTP routes — protobuf or JSON, optionally gzip, 200 only
// once the data is durable (otlp-routes.ts) — the Prometheus scraper, the collector's own telemetry,
// and /metrics (Prometheus text) and /ready reporting its state (status-routes.ts).
import { hostname } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ScrapeTargetConfig } from '../scrape/scrape-config.ts';
import type { ScrapeHealth } from '../scrape/scrape-target.ts';
import { type Scraper, startScraper } from '../scrape/scraper.ts';
import type { Store } from '../store/create-store.ts';
import type { BatchWriterOptions } from '../write/batch-writer.ts';
import { type AcceptedMetricsListener, createAcceptedMetricsHub } from './accepted-metrics.ts';
import { openIngestWarning, requireApiKeys } from './api-keys.ts';
import { createMetricIngest } from './ingest-metrics.ts';
import { registerOtlpRoutes } from './otlp-routes.ts';
import { acceptOtlpContentTypes } from './request-body.ts';
import { type CollectorCounters, type CollectorStats, zeroCounters } from './self-telemetry.ts';
import { selfSnapshot, startSelfTelemetry } from './self-telemetry-loop.ts';
import { requestOrigin, SenderRefusals, type SenderRefusalsOptions } from './sender-refusals.ts';
import { registerStatusRoutes } from './status-routes.ts';
import { openWritePath } from './write-path.ts';

export interface CollectorOptions {
  store: Store;
  port?: number;
  host?: string;
  /** Largest accepted body, compressed and decompressed (OTLP recommends 20 MiB). */
  maxBodyBytes?: number;
  batch?: BatchWriterOptions;
  /**
   * Folder of the on-disk queue (DATA_DIR/collector-queue in the collector process). Default: beside
   * an embedded store's data; with a server store and no folder, a temporary one (lost on restart).
   */
  queueDir?: string;
  queue?: { maxBytes?: number; segmentBytes?: number; replayBackoffMs?: { minMs: number; maxMs: number } };
  /** Request bytes (decompressed) held at once before new requests get 429 (default 64 MiB). */
  maxInFlightBytes?: number;
  log?: boolean;
  /** Prometheus targets to scrape into the store (COLLECTOR_SCRAPE_TARGETS). */
  scrapeTargets?: ScrapeTargetConfig[];
  /** When non-empty, POSTs need one of these keys (Bearer or x-api-key); else 401. */
  apiKeys?: string[];
  /** How long acknowledged requests are recognised when a client sends them again (default 15 min). */
  ledger?: { windowMs?: number; maxEntries?: number };
  /** Write the collector's own counters into the store every intervalMs; false or unset: off. */
  selfTelemetry?: { intervalMs: number; serviceName?: string } | false;
  /** Refusals' log (one line per sender and reason per interval) and the sender-name cap. */
  refusals?: SenderRefusalsOptions;
}

export interface CollectorServer {
  url: string;
  port: number;
  counters: CollectorCounters;
  /** Refused requests and rejected items per sender, reason and signal since start. */
  refusals: SenderRefusals;
  /**
   * Subscribes to every accepted metric batch (OTLP, scrapes, self-telemetry) once it is durable:
   * the rows as stored. Returns the unsubscribe function.
   */
  onAcceptedMetrics(listener: AcceptedMetricsListener): () => void;
  /** Everything /metrics reports, as numbers. */
  stats(): CollectorStats;
  /** The last scrape of each Prometheus target. */
  scrapeHealth(): ScrapeHealth[];
  /** Scrapes every target now and waits until the result is durable. */
  scrapeNow(): Promise<void>;
  /** Writes the collector's own counters into the store now (also done every interval). */
  writeSelfTelemetry(): Promise<void>;
  close(): Promise<void>;
}

export async function startCollector(options: CollectorOptions): Promise<CollectorServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const startedAtNanos = BigInt(Date.now()) * 1_000_000n;
  const path = await openWritePath({ ...options, startedAtUnixNano: startedAtNanos });
  const { writer, replayer, insertLatency } = path;
  const counters = zeroCounters();
  const accepted = createAcceptedMetricsHub((line) => console.warn(`collector: ${line}`));
  const ingestMetrics = createMetricIngest(writer, path.deltas, counters, accepted);
  const app: FastifyInstance = Fastify({ logger: options.log ?? false, bodyLimit: maxBodyBytes });
  acceptOtlpContentTypes(app);
  const refusals = new SenderRefusals(options.refusals);
  requireApiKeys(app, options.apiKeys ?? [], (request, why) => {
    counters.unauthorizedRequests++;
    refusals.record({ ...requestOrigin(request), reason: 'unauthorized', itemsByService: null, detail: why });
  });
  const routes = registerOtlpRoutes(app, {
    path,
    counters,
    refusals,
    ingestMetrics,
    maxBodyBytes,
    maxInFlightBytes: options.maxInFlightBytes ?? 64 * 1024 * 1024,
  });
  const stats = () => path.stats(counters, routes.inFlightBytes());

  let scraper: Scraper | undefined;
  registerStatusRoutes(app, {
    describe: options.store.describe,
    stats,
    insertLatency: () => insertLatency.snapshot(),
    health: () => ({ counters, writer: writer.stats }),
    scrape: () => scraper?.health() ?? [],
  });

  const host = options.host ?? '127.0.0.1';
  const address = await app.listen({ port: options.port ?? 4318, host });
  const openWarning = openIngestWarning(host, options.apiKeys ?? []);
  if (openWarning) console.warn(`collector: ${openWarning}`);
  // Started once listening, so a failed listen leaves no scrape or telemetry timers behind.
  scraper = startScraper({
    targets: options.scrapeTargets ?? [],
    maxBodyBytes,
    ingest: async (data) => {
      const outcome = await ingestMetrics(data);
      if (outcome.rejected > 0)
        refusals.record({
          reason: 'invalid_items',
          signal: 'metrics',
          itemsByService: outcome.rejectedByService,
          address: `scrape of job ${Object.keys(outcome.rejectedByService).join(', ')}`,
          userAgent: undefined,
          detail: outcome.rejectReasons.join('; '),
        });
    },
    log: (line) => console.warn(`collector: ${line}`),
  });
  const selfTelemetry = startSelfTelemetry({
    ...(options.selfTelemetry || { intervalMs: 0 }),
    startUnixNano: startedAtNanos,
    instance: `${hostname()}:${process.pid}`,
    snapshot: () =>
      selfSnapshot(
        counters,
        stats(),
        writer.stats,
        replayer.stats,
        insertLatency.snapshot(),
        refusals.snapshot(),
      ),
    // Its own points are not counted as received from clients.
    ingest: createMetricIngest(
      writer,
      path.deltas,
      { receivedPoints: 0, acceptedPoints: 0, rejectedPoints: 0 },
      accepted,
    ),
  });
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : 0;
  return {
    url: address,
    port,
    counters,
    refusals,
    onAcceptedMetrics: (listener) => accepted.subscribe(listener),
    stats,
    scrapeHealth: () => scraper?.health() ?? [],
    async scrapeNow() {
      await scraper?.scrapeAll();
    },
    writeSelfTelemetry: () => selfTelemetry.writeNow(),
    async close() {
      await app.close();
      await scraper?.stop();
      await selfTelemetry.stop();
      refusals.flushLog();
      // A last sample, so counts since the previous interval are not lost on shutdown.
      if (options.selfTelemetry) await selfTelemetry.writeNow().catch(() => {});
      await path.close();
    },
  };
}
