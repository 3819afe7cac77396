// OpenAPI descriptions of the admin routes an experiment drives (optimisations/admin-routes.ts), built
// from the schema the PUT validates with and the settings schema of the answer.
import { z } from 'zod';
import { optimisationChangeSchema, optimisationSettingsSchema } from '../../optimisations/optimisations.ts';
import type { RouteDoc } from '../registry.ts';

const optimisationsStateSchema = z.object({
  current: optimisationSettingsSchema.describe('The switches in force.'),
  start: optimisationSettingsSchema.describe('The switches at start (what DELETE goes back to).'),
  updatedAt: z.string().describe('When a switch last moved (ISO 8601).'),
  presets: z.object({ 'before-plan': optimisationSettingsSchema }),
  notes: z.array(z.string()).describe('How the switches apply here and now (overrides, restart-only).'),
});

const state = { description: 'The switches in force and at start.', schema: optimisationsStateSchema };
const adminOff = { description: 'The admin API is off: ADMIN_TOKEN is refused (see the target README).' };

export const ADMIN_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'GET',
    path: '/admin/optimisations',
    tag: 'admin',
    summary: "The plan's optimisation switches: the values in force, at start, and the before-plan preset.",
    auth: 'admin',
    responses: { 200: state, 503: adminOff },
  },
  {
    method: 'PUT',
    path: '/admin/optimisations',
    tag: 'admin',
    summary:
      "Change some switches (the others keep their value), optionally on top of a preset applied first ('before-plan' = every optimisation off, 'start' = the values at start). Each switch that moves is logged and exported.",
    auth: 'admin',
    body: optimisationChangeSchema,
    responses: { 200: state, 503: adminOff },
  },
  {
    method: 'DELETE',
    path: '/admin/optimisations',
    tag: 'admin',
    summary: 'Every switch back to its value at start.',
    auth: 'admin',
    responses: { 200: state, 503: adminOff },
  },
];
