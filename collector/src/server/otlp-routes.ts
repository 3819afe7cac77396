// The OTLP/HTTP routes (/v1/metrics, /v1/traces, /v1/logs) and the answers they give: 200 once the
// data is durable; 400 for undecodable bodies (nothing written); 413 over the size limit, checked
// again after decompression; 429 when too many bytes are in flight and 503 when the queue is full,
// both with Retry-After. Every refusal is recorded against its sender.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { itemsByService } from '../otlp/items-by-service.ts';
import { decodeLogsJson } from '../otlp/json-logs.ts';
import { decodeMetricsJson } from '../otlp/json-metrics.ts';
import { decodeTracesJson } from '../otlp/json-traces.ts';
import type { ResourceMetrics } from '../otlp/model.ts';
import { OtlpDecodeError } from '../otlp/model.ts';
import { decodeLogsProto } from '../otlp/proto-logs.ts';
import { decodeMetricsProto } from '../otlp/proto-metrics.ts';
import { decodeTracesProto } from '../otlp/proto-traces.ts';
import { QueueFullError } from '../queue/disk-queue.ts';
import { logRows } from '../write/log-rows.ts';
import type { Rejections } from '../write/rejections.ts';
import { traceRows } from '../write/trace-rows.ts';
import { type Encoding, exportResponse, statusResponse } from './otlp-response.ts';
import { bodyOf, drainRequest, encodingOf, HttpError } from './request-body.ts';
import { type LedgerAnswer, RequestLedger } from './request-ledger.ts';
import type { CollectorCounters } from './self-telemetry.ts';
import { type RefusalReason, reasonOfStatus, requestOrigin, type SenderRefusals } from './sender-refusals.ts';
import type { WritePath } from './write-path.ts';

export interface OtlpRoutesDeps {
  path: WritePath;
  counters: CollectorCounters;
  refusals: SenderRefusals;
  ingestMetrics: (data: ResourceMetrics[]) => Promise<Rejections>;
  maxBodyBytes: number;
  maxInFlightBytes: number;
}

const send = (
  reply: FastifyReply,
  status: number,
  response: { contentType: string; body: string | Buffer },
) => reply.code(status).header('content-type', response.contentType).send(response.body);

/** The answers to refused requests (busy, queue full, bad body, too large, store down), each recorded. */
function answerErrors(
  app: FastifyInstance,
  counters: CollectorCounters,
  refuse: (request: FastifyRequest, reason: RefusalReason, detail: string) => void,
  maxBodyBytes: number,
): void {
  app.setErrorHandler(async (error, request, reply) => {
    const encoding = encodingOf(request.headers['content-type']);
    if (error instanceof QueueFullError || (error instanceof HttpError && error.status === 429)) {
      counters.throttledRequests++;
      const status = error instanceof QueueFullError ? 503 : 429;
      refuse(request, status === 503 ? 'queue_full' : 'busy', error.message);
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
    refuse(request, reasonOfStatus(status), (error as Error).message);
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
}

/** Registers the three signals' routes and the error answers; returns the bytes in flight now. */
export function registerOtlpRoutes(app: FastifyInstance, deps: OtlpRoutesDeps): { inFlightBytes(): number } {
  const { path, counters, refusals, maxBodyBytes, maxInFlightBytes } = deps;
  let inFlightBytes = 0;
  /** Items per service.name of each request decoded so far: who a later refusal came from. */
  const decoded = new WeakMap<FastifyRequest, Record<string, number>>();
  const refuse = (request: FastifyRequest, reason: RefusalReason, detail: string) =>
    refusals.record({
      ...requestOrigin(request),
      reason,
      itemsByService: decoded.get(request) ?? null,
      detail,
    });

  answerErrors(app, counters, refuse, maxBodyBytes);

  /** Holds the request's bytes against the in-flight bound until it is answered. */
  async function admitted<T>(raw: unknown, work: (size: (n: number) => void) => Promise<T>): Promise<T> {
    if (path.queue.full) throw new QueueFullError(`on-disk queue full (${path.queue.maxBytes} bytes)`);
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
  function otlpRoute<T extends Parameters<typeof itemsByService>[0]>(
    signal: 'metrics' | 'traces' | 'logs',
    decode: (body: Buffer, encoding: Encoding) => T,
    store: (data: T) => Promise<Rejections>,
  ): void {
    app.post(`/v1/${signal}`, (request, reply) =>
      admitted(request.body, async (hold) => {
        counters.requests++;
        const encoding = encodingOf(request.headers['content-type']);
        const body = await bodyOf(request.body, request.headers['content-encoding'], maxBodyBytes);
        if (body !== request.body) hold(body.length);
        const { rejected, message } = await path.ledger.once(
          RequestLedger.digest(signal, body),
          async (): Promise<LedgerAnswer> => {
            const data = decode(body, encoding);
            decoded.set(request, itemsByService(data));
            const outcome = await store(data);
            const message = outcome.rejectReasons.join('; ');
            if (outcome.rejected > 0)
              refusals.record({
                ...requestOrigin(request),
                reason: 'invalid_items',
                itemsByService: outcome.rejectedByService,
                detail: message,
              });
            return { rejected: outcome.rejected, message };
          },
        );
        return send(reply, 200, exportResponse(encoding, signal, rejected, message));
      }),
    );
  }

  otlpRoute(
    'metrics',
    (body, encoding) => (encoding === 'json' ? decodeMetricsJson(body) : decodeMetricsProto(body)),
    (data) => deps.ingestMetrics(data),
  );

  otlpRoute(
    'traces',
    (body, encoding) => (encoding === 'json' ? decodeTracesJson(body) : decodeTracesProto(body)),
    async (data) => {
      const { rows, ...rejections } = traceRows(data);
      counters.receivedSpans += rows.length + rejections.rejected;
      await path.writer.write('otel_traces', rows);
      counters.acceptedSpans += rows.length;
      counters.rejectedSpans += rejections.rejected;
      return rejections;
    },
  );

  otlpRoute(
    'logs',
    (body, encoding) => (encoding === 'json' ? decodeLogsJson(body) : decodeLogsProto(body)),
    async (data) => {
      const { rows, ...rejections } = logRows(data);
      counters.receivedLogs += rows.length + rejections.rejected;
      await path.writer.write('otel_logs', rows);
      counters.acceptedLogs += rows.length;
      counters.rejectedLogs += rejections.rejected;
      return rejections;
    },
  );

  return { inFlightBytes: () => inFlightBytes };
}
