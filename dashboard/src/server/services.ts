// The facade between the Next.js bundle and the all-in-one process. server.ts builds the store,
// collector, launcher and alert engine and registers them here before Next starts; routers read
// them with getServices(). Only types are imported, so nothing heavy (chDB, fastify, k6 launcher)
// is ever bundled into the app.

import type { AlertEngine } from 'alert-rules';
import type {
  attributeCondition,
  CollectorServer,
  quantileOf,
  queryHistogramBatch,
  queryHistogramBatches,
  queryHistogramBuckets,
  queryHistogramSeries,
  queryStat,
  queryValueBatch,
  queryValueBatches,
  Store,
  seriesFromBuckets,
  statOfHistogram,
  statOfValues,
  summarise,
  valueAggregates,
  whereClause,
} from 'collector';
import type { Launcher, RunLimits, scenarios } from 'load-tests';
import type { AuditLog } from './audit.ts';
import type { Auth } from './auth/auth.ts';
import type { OidcLogin } from './auth/oidc.ts';
import type { TargetChaos } from './target-chaos.ts';

export interface DashboardConfig {
  /** service.name of the system under test, as its telemetry reports it. */
  targetServiceName: string;
  /** Base URLs load tests may target (TARGET_URL, then LOAD_TARGETS). */
  targets: string[];
  /** OTLP/HTTP receiver in this process, or null when the collector runs separately. */
  collectorUrl: string | null;
  /** service.name of the collector's own telemetry in the store. */
  collectorServiceName: string;
  /** e.g. "embedded chDB at .data/chdb". */
  storeDescription: string;
  /** Live snapshots shared between viewers (default) or computed per viewer (LIVE_SNAPSHOTS). */
  liveSnapshots?: 'shared' | 'fresh';
  /** Ceilings on one run's VUs and duration for each role that may launch (RUN_MAX_*). */
  runLimits?: { qa: RunLimits; admin: RunLimits };
}

export interface Services {
  config: DashboardConfig;
  store: Store;
  /** The collector's shared query builder (the one the alert engine uses too). */
  queries: {
    queryHistogramSeries: typeof queryHistogramSeries;
    queryStat: typeof queryStat;
    queryHistogramBuckets: typeof queryHistogramBuckets;
    /** Many selectors' histogram rows / gauge and sum aggregates in one query (scores). */
    queryHistogramBatch: typeof queryHistogramBatch;
    queryValueBatch: typeof queryValueBatch;
    queryHistogramBatches: typeof queryHistogramBatches;
    queryValueBatches: typeof queryValueBatches;
    summarise: typeof summarise;
    quantileOf: typeof quantileOf;
    seriesFromBuckets: typeof seriesFromBuckets;
    statOfHistogram: typeof statOfHistogram;
    statOfValues: typeof statOfValues;
    whereClause: typeof whereClause;
    attributeCondition: typeof attributeCondition;
    valueAggregates: typeof valueAggregates;
  };
  launcher: Launcher;
  scenarios: typeof scenarios;
  alerts: AlertEngine;
  /** The OTLP collector in this process (its live counters), or null when it runs separately. */
  collector: Pick<CollectorServer, 'stats' | 'url'> | null;
  /** The target's chaos controls (TARGET_URL's /admin/chaos). */
  chaos: TargetChaos;
  /** Local users and sessions. */
  auth: Auth;
  /** Sign-in through an OpenID Connect provider, when OIDC_ISSUER is set. */
  oidc: OidcLogin | null;
  /** Who did what (cp_audit_log). */
  audit: AuditLog;
}

const SERVICES = Symbol.for('carsuggester.services');
type WithServices = typeof globalThis & { [SERVICES]?: Services };

export function registerServices(services: Services): void {
  (globalThis as WithServices)[SERVICES] = services;
}

export function unregisterServices(): void {
  delete (globalThis as WithServices)[SERVICES];
}

export function getServices(): Services {
  const services = (globalThis as WithServices)[SERVICES];
  if (!services) {
    throw new Error(
      'dashboard services are not running in this process: start the dashboard with `node dashboard/server.ts` ' +
        '(`next start` alone has no store, load-test launcher or alert engine)',
    );
  }
  return services;
}
