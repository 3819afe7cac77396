// Admin control of the price changer: GET shows its settings and counters, PUT switches it on or off
// and sets its pace (fields left out go back to the configured defaults). Registered inside the
// token-protected admin plugin; every change is logged with the previous settings.
import type { FastifyInstance } from 'fastify';
import { parseInput } from '../http/errors.ts';
import type { PriceChanger, PriceChangerSettings, PriceChangerState } from './price-changer.ts';
import { priceChangerSettingsSchema } from './price-changer.ts';

export function priceChangerBodySchema(defaults: PriceChangerSettings) {
  return priceChangerSettingsSchema.extend({
    enabled: priceChangerSettingsSchema.shape.enabled.default(defaults.enabled),
    intervalMs: priceChangerSettingsSchema.shape.intervalMs.default(defaults.intervalMs),
    changesPerTick: priceChangerSettingsSchema.shape.changesPerTick.default(defaults.changesPerTick),
  });
}

export function registerPriceChangerRoutes(
  admin: FastifyInstance,
  changer: PriceChanger,
  defaults: PriceChangerSettings,
): void {
  const body = priceChangerBodySchema(defaults);
  admin.get('/admin/price-changer', async (): Promise<PriceChangerState> => changer.state());
  admin.put('/admin/price-changer', async (request): Promise<PriceChangerState> => {
    const settings = parseInput(body, request.body, 'price changer settings');
    const previous = changer.state();
    const next = await changer.configure(settings);
    request.log.warn({ priceChanger: settings, previous }, 'price changer changed');
    return next;
  });
}
