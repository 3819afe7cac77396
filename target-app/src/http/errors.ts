// One error shape for every response that is not a success: `{ error, issues? }`, with field-level
// issues for input that failed validation.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { DatabaseUnavailableError } from '../db/database.ts';
import { recordRequestError } from '../telemetry/http-server.ts';

export type Issue = { path: string; message: string };
export type ErrorBody = { error: string; issues?: Issue[] };

/** Thrown by handlers for bad client input; the error handler turns it into a 400. */
export class InputError extends Error {
  readonly issues: Issue[];
  constructor(message: string, issues: Issue[]) {
    super(message);
    this.name = 'InputError';
    this.issues = issues;
  }
}

export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // One issue per unknown key, at that key: "minprice: unknown field" points at the typo.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: path.join('.') || '(root)', message: issue.message }];
  });
}

/** Validates `value` (a query, params or body) or throws InputError naming what was invalid. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(`invalid ${what}`, toIssues(result.error));
  return result.data;
}

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DB_RETRY_AFTER_S = 5;

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return reply.code(404).send({ error: `no route for ${request.method} ${path}` } satisfies ErrorBody);
  });

  app.setErrorHandler((error: FastifyError | InputError, request, reply) => {
    if (error instanceof InputError) {
      return reply.code(400).send({ error: error.message, issues: error.issues } satisfies ErrorBody);
    }
    // Fastify's own client errors: malformed JSON, body too large, unsupported content type.
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: error.message } satisfies ErrorBody);
    }
    recordRequestError(request, error);
    if (error instanceof DatabaseUnavailableError) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(DB_RETRY_AFTER_S))
        .send({ error: 'service temporarily unavailable: database not reachable' } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal server error' } satisfies ErrorBody);
  });
}
