// The facade between the Next.js bundle and the all-in-one process. server.ts builds the store,
// collector, launcher and alert engine and registers them here before Next starts; routers read
// them with getServices(). Only types are imported, so nothing heavy (chDB, fastify, k6 launcher)
// is ever bundled into the app: what is code rather than a running part (the query builder, the
// scenario catalogue, results) the routers import from the packages' bundle-safe subpaths.

import type { AlertEngine } from 'alert-rules';
import type { CollectorServer, Store } from 'collector';
import type { Launcher, RunLimits } from 'load-tests';
import type { ExperimentHost } from '../runtime/experiments/experiment-host.ts';
import type { Scheduler } from '../runtime/scheduler/scheduler.ts';
import type { AuditLog } from './audit.ts';
import type { ApiTokenStore } from './auth/api-tokens.ts';
import type { Auth } from './auth/auth.ts';
import type { OidcLogin } from './auth/oidc.ts';
import type { UserAccounts } from './auth/user-accounts.ts';
import type { ReceiverAdmin } from './receivers/receiver-admin.ts';
import type { TargetChaos } from './target-chaos.ts';
import type { ViewerActivity } from './viewer-activity.ts';

export interface DashboardConfig {
  /** service.name of the system under test, as its telemetry reports it. */
  targetServiceName: string;
  /** Base URLs load tests may target (TARGET_URL, then LOAD_TARGETS). */
  targets: string[];
  /** OTLP/HTTP receiver in this process, or null when the collector runs separately. */
  collectorUrl: string | null;
  /** service.name of the collector's own telemetry in the store. */
  collectorServiceName: string;
  /** How often the collector writes that telemetry (s; 0: never). The System page's history steps follow it. */
  collectorSelfTelemetrySeconds?: number;
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
  launcher: Launcher;
  alerts: AlertEngine;
  /**
   * The OTLP collector in this process (its live counters and who it refused), or null when it
   * runs separately.
   */
  collector: Pick<CollectorServer, 'stats' | 'url' | 'refusals'> | null;
  /** The target's chaos controls (TARGET_URL's /admin/chaos). */
  chaos: TargetChaos;
  /** Local users and sessions. */
  auth: Auth;
  /** API tokens (service accounts): Bearer credentials for the API. */
  tokens: ApiTokenStore;
  /** Dashboard users: the configured ones (read-only) and those admins make in the UI. */
  users: UserAccounts;
  /** Sign-in through an OpenID Connect provider, when OIDC_ISSUER is set. */
  oidc: OidcLogin | null;
  /** Who did what (cp_audit_log). */
  audit: AuditLog;
  /** Alert receivers: the routing file's (read-only) and those admins add in the UI. */
  receivers: ReceiverAdmin;
  /** Scheduled runs (cp_schedules); unset where no scheduler runs (tests that build their own services). */
  schedules?: Scheduler;
  /** Experiments (issue 23): one at a time, through the launcher; unset where none are hosted. */
  experiments?: ExperimentHost;
  /** Whether anyone views the dashboard (signed-in calls, live snapshots); unset in tests. */
  viewers?: ViewerActivity;
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
