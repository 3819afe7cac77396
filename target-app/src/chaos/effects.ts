// Applies the process-wide chaos settings whenever they change: slow queries (database delay),
// memory leak, CPU burn and pool size; and shows each as a gauge (OTel and prom-client), including
// the memory actually retained and the pool size in force, so charts show when a switch was thrown.
import type { Meter } from '@opentelemetry/api';
import { Gauge } from 'prom-client';
import type { ChaosConfig, ChaosController } from '../chaos.ts';
import type { Database } from '../db/database.ts';
import type { PromMetrics } from '../metrics.ts';
import { createCpuBurn } from './cpu-burn.ts';
import { createMemoryLeak } from './memory-leak.ts';

export type ChaosEffects = {
  /** Resizes the pool when its size in force moved (after the poolSize optimisation changed). */
  applyPoolSize(): void;
  stop(): void;
};

export type ChaosEffectsOptions = {
  chaos: ChaosController;
  database: Database;
  /**
   * The size poolMax null returns to: DB_POOL_MAX, or read per change (the poolSize optimisation
   * switch; chaos poolMax, a fault, overrides it while set).
   */
  configuredPoolMax: number | (() => number);
  meter: Meter;
  prom: PromMetrics;
  onError: (message: string, error: unknown) => void;
};

/** Whether a config asks for a pool size other than the configured one. */
export function poolSizeOf(config: ChaosConfig, configuredPoolMax: number): number {
  return config.poolMax ?? configuredPoolMax;
}

export function startChaosEffects(options: ChaosEffectsOptions): ChaosEffects {
  const { chaos, database } = options;
  const configured = options.configuredPoolMax;
  const basePoolMax = typeof configured === 'number' ? () => configured : configured;
  const leak = createMemoryLeak();
  const burn = createCpuBurn();
  let poolMax = basePoolMax();
  let stopped = false;
  const applyPoolSize = () => {
    const size = poolSizeOf(chaos.current(), basePoolMax());
    if (stopped || database.resizePool === undefined || size === poolMax) return;
    poolMax = size;
    database.resizePool(size).catch((error: unknown) => options.onError('pool resize failed', error));
  };

  const apply = (config: ChaosConfig) => {
    if (stopped) return;
    database.setQueryDelay(
      config.slowQueryMs > 0 && config.slowQueryRate > 0
        ? () => (Math.random() < config.slowQueryRate ? config.slowQueryMs : 0)
        : undefined,
    );
    leak.set(config.memoryLeakMbPerSec, config.memoryLeakCapMb);
    burn.set(config.cpuBurn);
    applyPoolSize();
  };
  apply(chaos.current());
  chaos.onChange(apply);

  const gauges: { name: string; unit: string; help: string; read: () => number }[] = [
    {
      name: 'chaos.slow_query_ms',
      unit: 'ms',
      help: 'Delay added to database queries by the chaos controls.',
      read: () => chaos.current().slowQueryMs,
    },
    {
      name: 'chaos.slow_query_rate',
      unit: '1',
      help: 'Share of database queries delayed (0..1) when slow queries are on.',
      read: () => (chaos.current().slowQueryMs > 0 ? chaos.current().slowQueryRate : 0),
    },
    {
      name: 'chaos.memory_leak_rate',
      unit: 'MiBy/s',
      help: 'Memory (MiB) retained per second by the chaos memory leak.',
      read: () => chaos.current().memoryLeakMbPerSec,
    },
    {
      name: 'chaos.memory_leak_retained',
      unit: 'By',
      help: 'Memory currently held by the chaos memory leak.',
      read: () => leak.retainedBytes(),
    },
    {
      name: 'chaos.cpu_burn',
      unit: '1',
      help: 'Share of the event loop spent busy by the chaos CPU burn (0..0.95).',
      read: () => chaos.current().cpuBurn,
    },
    {
      name: 'chaos.pool_max',
      unit: '{connection}',
      help: 'Database pool size in force.',
      read: () => (database.resizePool === undefined ? 1 : poolMax),
    },
  ];
  for (const gauge of gauges) {
    options.meter
      .createObservableGauge(gauge.name, { unit: gauge.unit, description: gauge.help })
      .addCallback((result) => result.observe(gauge.read()));
    new Gauge({
      name: gauge.name.replace('.', '_'),
      help: gauge.help,
      registers: [options.prom.registry],
      collect() {
        this.set(gauge.read());
      },
    });
  }

  return {
    applyPoolSize,
    stop() {
      stopped = true;
      leak.stop();
      burn.stop();
      database.setQueryDelay(undefined);
    },
  };
}
