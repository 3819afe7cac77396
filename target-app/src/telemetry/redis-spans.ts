// CLIENT spans for Redis commands (the L2 cache), children of the request's span, with the database
// conventions' attributes. Keys are not recorded: they carry user input (search terms).
import { type Context, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';

export type RedisTarget = { host: string; port: number };

export async function withRedisSpan<T>(
  tracer: Tracer | undefined,
  parent: Context | undefined,
  operation: 'GET' | 'SET' | 'DEL',
  target: RedisTarget | undefined,
  work: () => Promise<T>,
): Promise<T> {
  // No request to hang the span under (start-up, background work): no span rather than a lone root.
  if (tracer === undefined || parent === undefined) return work();
  const span = tracer.startSpan(
    operation,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        // 'redis' is a db.system.name value still in the incubating package.
        [ATTR_DB_SYSTEM_NAME]: 'redis',
        [ATTR_DB_OPERATION_NAME]: operation,
        ...(target === undefined
          ? {}
          : { [ATTR_SERVER_ADDRESS]: target.host, [ATTR_SERVER_PORT]: target.port }),
      },
    },
    parent,
  );
  try {
    return await work();
  } catch (error) {
    span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'unknown');
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : undefined,
    });
    throw error;
  } finally {
    span.end();
  }
}
