// Client-side database telemetry: a CLIENT span per query (child of the request's span) and the
// stable `db.client.operation.duration` histogram, per the OpenTelemetry database conventions.
import { type Context, type Meter, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  METRIC_DB_CLIENT_OPERATION_DURATION,
} from '@opentelemetry/semantic-conventions';

/** Bucket boundaries the semantic conventions advise for db.client.operation.duration (seconds). */
const DB_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

export type DbOperation = {
  operation: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'CREATE' | 'ANALYZE' | 'EXPLAIN';
  collection: string;
  /** Parameterised SQL; values are never recorded. */
  text: string;
};

export type DbInstrumentation = {
  run<T>(op: DbOperation, parent: Context | undefined, query: () => Promise<T>): Promise<T>;
};

export function createDbInstrumentation(tracer: Tracer, meter: Meter): DbInstrumentation {
  const duration = meter.createHistogram(METRIC_DB_CLIENT_OPERATION_DURATION, {
    unit: 's',
    description: 'Duration of database client operations.',
    advice: { explicitBucketBoundaries: DB_DURATION_BUCKETS },
  });
  return {
    async run(op, parent, query) {
      const attributes = {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_OPERATION_NAME]: op.operation,
        [ATTR_DB_COLLECTION_NAME]: op.collection,
      };
      const span = tracer.startSpan(
        `${op.operation} ${op.collection}`,
        { kind: SpanKind.CLIENT, attributes: { ...attributes, [ATTR_DB_QUERY_TEXT]: op.text } },
        parent,
      );
      const started = performance.now();
      let errorType: string | undefined;
      try {
        return await query();
      } catch (error) {
        errorType = error instanceof Error ? error.constructor.name : 'unknown';
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : undefined,
        });
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        throw error;
      } finally {
        span.end();
        const seconds = (performance.now() - started) / 1000;
        duration.record(
          seconds,
          errorType === undefined ? attributes : { ...attributes, [ATTR_ERROR_TYPE]: errorType },
        );
      }
    },
  };
}
