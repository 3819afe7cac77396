// The OTLP/HTTP receiver: /v1/metrics, /v1/traces and /v1/logs, protobuf or JSON, optionally gzip.
// 200 only once the data is durable — inserted, or fsync'd to the on-disk queue that the replayer
// drains; 400 for undecodable bodies (nothing written); 413 over the size limit, checked again
// after decompression; 429 when too many bytes are in flight, 503 when the queue is full — both
// with Retry-After. /metrics (Prometheus text) and /ready report the collector's own state.
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import { saveDeltaState, takeDeltaState } from '../normalise/delta-state-file.ts';
import { decodeMetricsJson, decodeTracesJson } from '../otlp/json.ts';
import { decodeLogsJson } from '../otlp/json-logs.ts';
import { OtlpDecodeError } from '../otlp/model.ts';
import { decodeLogsProto } from '../otlp/proto-logs.ts';
import { decodeMetricsProto } from '../otlp/proto-metrics.ts';
import { decodeTracesProto } from '../otlp/proto-traces.ts';
import { DiskQueue, QueueFullError } from '../queue/disk-queue.ts';
import { Replayer } from '../queue/replayer.ts';
import type { ScrapeTargetConfig } from '../scrape/scrape-config.ts';
import type { ScrapeHealth } from '../scrape/scrape-target.ts';
import { type Scraper, startScraper } from '../scrape/scraper.ts';
import type { Store } from '../store/create-store.ts';
import { BatchWriter, type BatchWriterOptions } from '../write/batch-writer.ts';
import { StoreHealth } from '../write/insert.ts';
import { InsertLatency } from '../write/insert-latency.ts';
import { logRows } from '../write/log-rows.ts';
import { traceRows } from '../write/rows.ts';
import { type AcceptedMetricsListener, createAcceptedMetricsHub } from './accepted-metrics.ts';
import { openIngestWarning, requireApiKeys } from './api-keys.ts';
import { createMetricIngest } from './ingest-metrics.ts';
import { type Encoding, exportResponse, statusResponse } from './otlp-response.ts';
import { acceptOtlpContentTypes, bodyOf, drainRequest, encodingOf, HttpError } from './request-body.ts';
import { type LedgerAnswer, RequestLedger } from './request-ledger.ts';
import { type CollectorCounters, type CollectorStats, zeroCounters } from './self-telemetry.ts';
import { selfSnapshot, startSelfTelemetry } from './self-telemetry-loop.ts';
import { registerStatusRoutes } from './status-routes.ts';

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
}

export interface CollectorServer {
  url: string;
  port: number;
  counters: CollectorCounters;
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

function defaultQueueDir(store: Store): string {
  if (store.dataDir) return join(store.dataDir, 'collector-queue');
  console.warn(
    'collector: no queueDir given for a server store; the on-disk queue will not survive a restart',
  );
  return mkdtempSync(join(tmpdir(), 'collector-queue-'));
}

export async function startCollector(options: CollectorOptions): Promise<CollectorServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const maxInFlightBytes = options.maxInFlightBytes ?? 64 * 1024 * 1024;
  const queueDir = options.queueDir ?? defaultQueueDir(options.store);
  const queue = await DiskQueue.open(queueDir, options.queue);
  // Beside the queue, so a retried request is recognised across a restart as its rows are replayed.
  const ledger = new RequestLedger(queueDir, options.ledger);
  const health = new StoreHealth();
  const insertLatency = new InsertLatency();
  const writer = new BatchWriter(options.store.client, queue, options.batch, health, insertLatency);
  const replayer = new Replayer(
    options.store.client,
    queue,
    options.queue?.replayBackoffMs,
    health,
    (token) => writer.alreadyStored(token),
    insertLatency,
  );
  replayer.start();
  const startedAtNanos = BigInt(Date.now()) * 1_000_000n;
  const deltas = new CumulativeToDelta({ startedAtUnixNano: startedAtNanos });
  const savedDeltas = takeDeltaState(queueDir, (line) => console.warn(`collector: ${line}`));
  if (savedDeltas) deltas.restore(savedDeltas);
  let inFlightBytes = 0;
  const counters = zeroCounters();
  const accepted = createAcceptedMetricsHub((line) => console.warn(`collector: ${line}`));
  const ingestMetrics = createMetricIngest(writer, deltas, counters, accepted);
  const stats = (): CollectorStats => ({
    ...counters,
    repeatedRequests: ledger.repeats,
    writtenRows: writer.stats.rows,
    queuedRows: writer.stats.queuedRows,
    replayedRows: replayer.stats.replayedRows,
    droppedRows: replayer.stats.droppedRows,
    insertFailures: writer.stats.insertFailures,
    replayFailures: replayer.stats.replayFailures,
    queueBytes: queue.pendingBytes,
    queueMaxBytes: queue.maxBytes,
    queueBatches: queue.pendingRecords,
    queueFull: queue.full,
    inFlightBytes,
    storeError: health.error,
    storeInsertLastMinute: insertLatency.recent(),
  });
  const app: FastifyInstance = Fastify({ logger: options.log ?? false, bodyLimit: maxBodyBytes });
  acceptOtlpContentTypes(app);
  requireApiKeys(app, options.apiKeys ?? [], () => counters.unauthorizedRequests++);

  function send(
    reply: FastifyReply,
    status: number,
    response: { contentType: string; body: string | Buffer },
  ) {
    return reply.code(status).header('content-type', response.contentType).send(response.body);
  }

  app.setErrorHandler(async (error, request, reply) => {
    const encoding = encodingOf(request.headers['content-type']);
    if (error instanceof QueueFullError || (error instanceof HttpError && error.status === 429)) {
      counters.throttledRequests++;
      const status = error instanceof QueueFullError ? 503 : 429;
      reply.header('retry-after', String((error as HttpError).retryAfterSeconds ?? 5));
      return send(reply, status, statusResponse(encoding, 8, `${error.message}; retry later`));
    }
    const status =
      error instanceof HttpError
        ? error.status
        : error instanceof OtlpDecodeError
          ? 400
          : ((error as { statusCode?: number }).statusCode ?? 500);
    if (status >= 400 && status < 500) counters.badRequests++;
    if (status >= 500) {
      counters.storeErrors++;
      request.log.error(error);
      reply.header('retry-after', '5');
      return send(
        reply,
        503,
        statusResponse(encoding, 14, `store unavailable, retry later: ${(error as Error).message}`),
      );
    }
    const message =
      status === 413 ? `body exceeds the limit of ${maxBodyBytes} bytes` : (error as Error).message;
    if (status === 413) {
      // The client may still be sending: read the rest (bounded) so it reads this answer.
      await drainRequest(request.raw, 4 * maxBodyBytes, 30_000);
      reply.header('connection', 'close');
    }
    return send(reply, status, statusResponse(encoding, status === 413 ? 8 : 3, message));
  });

  /** Holds the request's bytes against the in-flight bound until it is answered. */
  async function admitted<T>(raw: unknown, work: (size: (n: number) => void) => Promise<T>): Promise<T> {
    if (queue.full) throw new QueueFullError(`on-disk queue full (${queue.maxBytes} bytes)`);
    let held = Buffer.isBuffer(raw) ? raw.length : 0;
    if (inFlightBytes + held > maxInFlightBytes && inFlightBytes > 0)
      throw new HttpError(429, `collector busy: ${inFlightBytes} bytes in flight`, 1);
    inFlightBytes += held;
    try {
      return await work((n) => {
        inFlightBytes += n;
        held += n;
      });
    } finally {
      inFlightBytes -= held;
    }
  }

  /**
   * One OTLP signal's route: admitted against the in-flight bound, decompressed, and stored once per
   * request content (the ledger answers a client's retry without storing it again).
   */
  function otlpRoute(
    signal: 'metrics' | 'traces' | 'logs',
    store: (body: Buffer, encoding: Encoding) => Promise<LedgerAnswer>,
  ): void {
    app.post(`/v1/${signal}`, (request, reply) =>
      admitted(request.body, async (hold) => {
        counters.requests++;
        const encoding = encodingOf(request.headers['content-type']);
        const body = await bodyOf(request.body, request.headers['content-encoding'], maxBodyBytes);
        if (body !== request.body) hold(body.length);
        const { rejected, message } = await ledger.once(RequestLedger.digest(signal, body), () =>
          store(body, encoding),
        );
        return send(reply, 200, exportResponse(encoding, signal, rejected, message));
      }),
    );
  }

  otlpRoute('metrics', async (body, encoding) => {
    const data = encoding === 'json' ? decodeMetricsJson(body) : decodeMetricsProto(body);
    const { rejected, rejectReasons } = await ingestMetrics(data);
    return { rejected, message: rejectReasons.join('; ') };
  });

  otlpRoute('traces', async (body, encoding) => {
    const data = encoding === 'json' ? decodeTracesJson(body) : decodeTracesProto(body);
    const { rows, rejected, rejectReasons } = traceRows(data);
    counters.receivedSpans += rows.length + rejected;
    await writer.write('otel_traces', rows);
    counters.acceptedSpans += rows.length;
    counters.rejectedSpans += rejected;
    return { rejected, message: rejectReasons.join('; ') };
  });

  otlpRoute('logs', async (body, encoding) => {
    const data = encoding === 'json' ? decodeLogsJson(body) : decodeLogsProto(body);
    const { rows, rejected, rejectReasons } = logRows(data);
    counters.receivedLogs += rows.length + rejected;
    await writer.write('otel_logs', rows);
    counters.acceptedLogs += rows.length;
    counters.rejectedLogs += rejected;
    return { rejected, message: rejectReasons.join('; ') };
  });

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
    ingest: async (data) => void (await ingestMetrics(data)),
    log: (line) => console.warn(`collector: ${line}`),
  });
  const selfTelemetry = startSelfTelemetry({
    ...(options.selfTelemetry || { intervalMs: 0 }),
    startUnixNano: startedAtNanos,
    instance: `${hostname()}:${process.pid}`,
    snapshot: () => selfSnapshot(counters, stats(), writer.stats, replayer.stats, insertLatency.snapshot()),
    // Its own points are not counted as received from clients.
    ingest: createMetricIngest(
      writer,
      deltas,
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
      // A last sample, so counts since the previous interval are not lost on shutdown.
      if (options.selfTelemetry) await selfTelemetry.writeNow().catch(() => {});
      await writer.flush();
      // Every point is durable now: the state matches what is stored.
      saveDeltaState(queueDir, deltas);
      await replayer.stop();
      await queue.close();
    },
  };
}
