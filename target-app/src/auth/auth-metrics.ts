// Authentication instrumentation: login and token-validation duration by outcome, token-cache hits and
// misses, verification mails sent — as OTel instruments and on the app's prom-client registry.
import type { Meter } from '@opentelemetry/api';
import { Counter, Histogram, type Registry } from 'prom-client';

export type LoginOutcome = 'success' | 'failure';
export type ValidationOutcome = 'valid' | 'invalid' | 'expired' | 'revoked';

export type AuthMetrics = {
  login(outcome: LoginOutcome, seconds: number): void;
  validation(outcome: ValidationOutcome, seconds: number): void;
  tokenCache(result: 'hit' | 'miss'): void;
  mail(outcome: 'delivered' | 'failed'): void;
};

/** bcrypt at cost 10 takes ~50–100 ms; validation from cache takes microseconds. */
export const LOGIN_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5];
export const VALIDATION_DURATION_BUCKETS = [
  0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
];

export function createAuthMetrics(meter: Meter, registry: Registry): AuthMetrics {
  const loginDuration = meter.createHistogram('auth.login.duration', {
    unit: 's',
    description: 'Duration of login requests (password check and token issue).',
    advice: { explicitBucketBoundaries: LOGIN_DURATION_BUCKETS },
  });
  const validationDuration = meter.createHistogram('auth.token.validation.duration', {
    unit: 's',
    description: 'Duration of access-token validation.',
    advice: { explicitBucketBoundaries: VALIDATION_DURATION_BUCKETS },
  });
  const cacheHits = meter.createCounter('auth.token.cache.hits', {
    unit: '{hit}',
    description: 'Token validations answered from the session cache.',
  });
  const cacheMisses = meter.createCounter('auth.token.cache.misses', {
    unit: '{miss}',
    description: 'Token validations that had to verify the token and load the user.',
  });
  const mails = meter.createCounter('auth.mail.sent', {
    unit: '{mail}',
    description: 'Verification mails by delivery outcome.',
  });
  const prom = {
    loginDuration: new Histogram({
      name: 'auth_login_duration_seconds',
      help: 'Duration of login requests (password check and token issue).',
      labelNames: ['outcome'],
      buckets: LOGIN_DURATION_BUCKETS,
      registers: [registry],
    }),
    validationDuration: new Histogram({
      name: 'auth_token_validation_duration_seconds',
      help: 'Duration of access-token validation.',
      labelNames: ['outcome'],
      buckets: VALIDATION_DURATION_BUCKETS,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'auth_token_cache_hits_total',
      help: 'Token validations answered from the session cache.',
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'auth_token_cache_misses_total',
      help: 'Token validations that had to verify the token and load the user.',
      registers: [registry],
    }),
    mails: new Counter({
      name: 'auth_mail_sent_total',
      help: 'Verification mails by delivery outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
  return {
    login(outcome, seconds) {
      loginDuration.record(seconds, { 'auth.outcome': outcome });
      prom.loginDuration.observe({ outcome }, seconds);
    },
    validation(outcome, seconds) {
      validationDuration.record(seconds, { 'auth.outcome': outcome });
      prom.validationDuration.observe({ outcome }, seconds);
    },
    tokenCache(result) {
      if (result === 'hit') {
        cacheHits.add(1);
        prom.cacheHits.inc();
      } else {
        cacheMisses.add(1);
        prom.cacheMisses.inc();
      }
    },
    mail(outcome) {
      mails.add(1, { 'mail.outcome': outcome });
      prom.mails.inc({ outcome });
    },
  };
}
