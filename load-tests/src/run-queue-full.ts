// The launcher's refusal when its run queue is full, kept apart from the launcher (which spawns
// k6) so that the bundle-safe `load-tests/model` can offer its guard.
import { hasErrorBrand } from './error-brand.ts';

const RUN_QUEUE_FULL: unique symbol = Symbol.for('load-tests.RunQueueFullError');

/** The queue is full: nothing was started or recorded; try again after `retryAfterSeconds`. */
export class RunQueueFullError extends Error {
  readonly [RUN_QUEUE_FULL] = true;
  readonly retryAfterSeconds: number;
  constructor(queued: number, retryAfterSeconds: number) {
    super(
      `the run queue is full (${queued} runs waiting): try again in about ${retryAfterSeconds} s, or stop a run`,
    );
    this.name = 'RunQueueFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A RunQueueFullError from any copy of this module (see error-brand.ts). */
export const isRunQueueFullError = (error: unknown): error is RunQueueFullError =>
  hasErrorBrand(error, RUN_QUEUE_FULL);
