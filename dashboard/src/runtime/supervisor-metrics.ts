// The target supervisor's own telemetry: each exit of the supervised target as a counter
// (`supervisor.target.exits`, attributes `target.service` and `exit.reason`) sent at once to the
// collector under service.name `supervisor`, so TargetExited (rules/supervisor.yaml) pages within
// seconds even when the target is back before any scrape misses it.
import { otlpMeterProvider } from './otlp-meter.ts';

export const SUPERVISOR_SERVICE = 'supervisor';
export const TARGET_EXITS_METRIC = 'supervisor.target.exits';

export type SupervisorMetrics = {
  /** Counts one exit ("SIGKILL", "code 1") and sends it now. */
  exited(targetService: string, exitReason: string): Promise<void>;
  shutdown(): Promise<void>;
};

export function createSupervisorMetrics(options: {
  otlpUrl: string;
  headers?: Record<string, string> | undefined;
}): SupervisorMetrics {
  // Exits are sent at once (forceFlush); the periodic export only carries what a failed send left.
  const provider = otlpMeterProvider({
    serviceName: SUPERVISOR_SERVICE,
    ...options,
    exportIntervalMs: 60_000,
  });
  const exits = provider.getMeter('dashboard.supervisor').createCounter(TARGET_EXITS_METRIC, {
    description: 'Exits of the supervised target that nobody asked for (crash, kill, OOM)',
    unit: '{exit}',
  });
  return {
    async exited(targetService, exitReason) {
      exits.add(1, { 'target.service': targetService, 'exit.reason': exitReason });
      await provider.forceFlush();
    },
    async shutdown() {
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown();
    },
  };
}
