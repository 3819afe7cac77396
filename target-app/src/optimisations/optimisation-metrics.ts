// The optimisation switches as gauges (OTel `optimisation.<switch>` and prom-client
// `optimisation_<switch>`, 1/0 for on/off), like the chaos settings, so a chart shows when a switch
// was thrown; and a counter of changes by switch, whose points mark the moments.
import type { Meter } from '@opentelemetry/api';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OptimisationName, OptimisationSettings, OptimisationsController } from './optimisations.ts';

type SwitchGauge = { name: OptimisationName; metric: string; unit: string; help: string };

const flag = (value: boolean) => (value ? 1 : 0);

/** The number a switch is charted as (emailDelivery: 1 queued, 0 inline). */
export function gaugeValue(settings: OptimisationSettings, name: OptimisationName): number {
  const value = settings[name];
  if (typeof value === 'boolean') return flag(value);
  if (typeof value === 'number') return value;
  return flag(value === 'queued');
}

export const SWITCH_GAUGES: readonly SwitchGauge[] = [
  { name: 'responseCache', metric: 'response_cache', unit: '1', help: 'Response cache on (1) or off (0).' },
  { name: 'redisL2', metric: 'redis_l2', unit: '1', help: "The cache's Redis level on (1) or off (0)." },
  {
    name: 'tokenValidationCache',
    metric: 'token_validation_cache',
    unit: '1',
    help: 'Validated-token cache on (1) or off (0).',
  },
  { name: 'bcryptCost', metric: 'bcrypt_cost', unit: '1', help: 'bcrypt cost of new password hashes.' },
  {
    name: 'emailDelivery',
    metric: 'email_delivery_queued',
    unit: '1',
    help: 'Verification mail queued (1) or sent inside the request (0).',
  },
  {
    name: 'searchCountReuse',
    metric: 'search_count_reuse',
    unit: '1',
    help: 'Search count reuse on (1) or off (0).',
  },
  {
    name: 'poolSize',
    metric: 'pool_size',
    unit: '{connection}',
    help: 'Database pool size asked by the optimisation switch.',
  },
  { name: 'rateLimiting', metric: 'rate_limiting', unit: '1', help: 'Rate limiting on (1) or off (0).' },
];

export function observeOptimisations(
  controller: OptimisationsController,
  meter: Meter,
  registry: Registry,
): void {
  for (const gauge of SWITCH_GAUGES) {
    meter
      .createObservableGauge(`optimisation.${gauge.metric}`, { unit: gauge.unit, description: gauge.help })
      .addCallback((result) => result.observe(gaugeValue(controller.current(), gauge.name)));
    new Gauge({
      name: `optimisation_${gauge.metric}`,
      help: gauge.help,
      registers: [registry],
      collect() {
        this.set(gaugeValue(controller.current(), gauge.name));
      },
    });
  }
  const changes = meter.createCounter('optimisation.changes', {
    unit: '{change}',
    description: 'Optimisation switches changed through the admin API, by switch.',
  });
  const promChanges = new Counter({
    name: 'optimisation_changes_total',
    help: 'Optimisation switches changed through the admin API, by switch.',
    labelNames: ['switch'],
    registers: [registry],
  });
  controller.onChange((_settings, changed) => {
    for (const { name } of changed) {
      changes.add(1, { 'optimisation.switch': name });
      promChanges.inc({ switch: name });
    }
  });
}
