// The OTLP/HTTP receiver: /v1/metrics and /v1/traces, protobuf or JSON, optionally gzip.
// 200 only once the data is stored; 400 for undecodable bodies (nothing written); 413 over the
// size limit, checked again after decompression; 503 with Retry-After when the store fails.

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import { decodeMetricsJson, decodeTracesJson } from '../otlp/json.ts';
import { OtlpDecodeError } from '../otlp/model.ts';
import { decodeMetricsProto } from '../otlp/proto-metrics.ts';
import { decodeTracesProto } from '../otlp/proto-traces.ts';
import type { Store } from '../store/create-store.ts';
import { BatchWriter } from '../write/batch-writer.ts';
import { metricRows, traceRows } from '../write/rows.ts';
import { type Encoding, exportResponse, statusResponse } from './otlp-response.ts';

const gunzipAsync = promisify(gunzip);

export interface CollectorOptions {
  store: Store;
  port?: number;
  host?: string;
  /** Largest accepted body, compressed and decompressed (OTLP recommends 20 MiB). */
  maxBodyBytes?: number;
  batch?: { maxRows?: number; maxDelayMs?: number };
  log?: boolean;
}

export interface CollectorCounters {
  requests: number;
  acceptedPoints: number;
  rejectedPoints: number;
  acceptedSpans: number;
  rejectedSpans: number;
  badRequests: number;
  storeErrors: number;
}

export interface CollectorServer {
  url: string;
  port: number;
  counters: CollectorCounters;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startCollector(options: CollectorOptions): Promise<CollectorServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const writer = new BatchWriter(options.store.client, options.batch);
  const deltas = new CumulativeToDelta();
  const counters: CollectorCounters = {
    requests: 0,
    acceptedPoints: 0,
    rejectedPoints: 0,
    acceptedSpans: 0,
    rejectedSpans: 0,
    badRequests: 0,
    storeErrors: 0,
  };
  const app: FastifyInstance = Fastify({ logger: options.log ?? false, bodyLimit: maxBodyBytes });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/x-protobuf', 'application/json'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser('*', (req, _payload, done) =>
    done(
      new HttpError(
        415,
        `unsupported content type ${req.headers['content-type'] ?? '(none)'}: use application/x-protobuf or application/json`,
      ),
      undefined,
    ),
  );

  const encodingOf = (contentType: string | undefined): Encoding =>
    contentType?.startsWith('application/json') ? 'json' : 'protobuf';

  async function bodyOf(raw: unknown, contentEncoding: string | undefined): Promise<Buffer> {
    if (!Buffer.isBuffer(raw)) throw new HttpError(400, 'empty request body');
    if (!contentEncoding || contentEncoding === 'identity') return raw;
    if (contentEncoding !== 'gzip')
      throw new HttpError(415, `unsupported content-encoding ${contentEncoding}: use gzip`);
    try {
      return await gunzipAsync(raw, { maxOutputLength: maxBodyBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new HttpError(413, `decompressed body exceeds ${maxBodyBytes} bytes`);
      throw new HttpError(400, `invalid gzip body: ${(error as Error).message}`);
    }
  }

  function send(
    reply: FastifyReply,
    status: number,
    response: { contentType: string; body: string | Buffer },
  ) {
    return reply.code(status).header('content-type', response.contentType).send(response.body);
  }

  app.setErrorHandler((error, request, reply) => {
    const encoding = encodingOf(request.headers['content-type']);
    const status =
      error instanceof HttpError
        ? error.status
        : error instanceof OtlpDecodeError
          ? 400
          : ((error as { statusCode?: number }).statusCode ?? 500);
    if (status === 400 || status === 413 || status === 415) counters.badRequests++;
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
    return send(reply, status, statusResponse(encoding, status === 413 ? 8 : 3, message));
  });

  app.post('/v1/metrics', async (request, reply) => {
    counters.requests++;
    const encoding = encodingOf(request.headers['content-type']);
    const body = await bodyOf(request.body, request.headers['content-encoding']);
    const data = encoding === 'json' ? decodeMetricsJson(body) : decodeMetricsProto(body);
    const rows = metricRows(data, deltas);
    await Promise.all([
      writer.write('otel_metrics_gauge', rows.otel_metrics_gauge),
      writer.write('otel_metrics_sum', rows.otel_metrics_sum),
      writer.write('otel_metrics_histogram', rows.otel_metrics_histogram),
    ]);
    counters.acceptedPoints +=
      rows.otel_metrics_gauge.length + rows.otel_metrics_sum.length + rows.otel_metrics_histogram.length;
    counters.rejectedPoints += rows.rejected;
    return send(
      reply,
      200,
      exportResponse(encoding, 'metrics', rows.rejected, rows.rejectReasons.join('; ')),
    );
  });

  app.post('/v1/traces', async (request, reply) => {
    counters.requests++;
    const encoding = encodingOf(request.headers['content-type']);
    const body = await bodyOf(request.body, request.headers['content-encoding']);
    const data = encoding === 'json' ? decodeTracesJson(body) : decodeTracesProto(body);
    const { rows, rejected, rejectReasons } = traceRows(data);
    await writer.write('otel_traces', rows);
    counters.acceptedSpans += rows.length;
    counters.rejectedSpans += rejected;
    return send(reply, 200, exportResponse(encoding, 'traces', rejected, rejectReasons.join('; ')));
  });

  app.get('/health', async () => ({
    status: 'ok',
    store: options.store.describe,
    counters,
    writer: writer.stats,
  }));

  const address = await app.listen({ port: options.port ?? 4318, host: options.host ?? '127.0.0.1' });
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : 0;
  return {
    url: address,
    port,
    counters,
    async close() {
      await app.close();
      await writer.flush();
    },
  };
}
