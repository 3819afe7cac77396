// Request bodies: the accepted content types, gzip with the size limit applied after
// decompression, and the error type the receiver turns into an OTLP status response.
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Encoding } from './otlp-response.ts';

const gunzipAsync = promisify(gunzip);

export class HttpError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function acceptOtlpContentTypes(app: FastifyInstance): void {
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
}

export const encodingOf = (contentType: string | undefined): Encoding =>
  contentType?.startsWith('application/json') ? 'json' : 'protobuf';

export async function bodyOf(
  raw: unknown,
  contentEncoding: string | undefined,
  maxBodyBytes: number,
): Promise<Buffer> {
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

/**
 * Reads and discards the rest of a refused body — at most `maxBytes`, for at most `maxMs` — so a
 * client still sending reads the answer instead of a reset connection (closing a socket with
 * unread data makes the kernel send RST). The caller answers with `connection: close`.
 */
export function drainRequest(raw: IncomingMessage, maxBytes: number, maxMs: number): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', done);
      raw.off('error', done);
      raw.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, maxMs);
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    raw.resume();
  });
}
