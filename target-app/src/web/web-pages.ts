// The target's web front end: the pages a browser (or the dashboard's synthetic page check) loads.
// They sit outside the /api plugin, so chaos and rate limits act on the API calls the pages make,
// the way a slow backend slows a real front end, and not on the HTML itself.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseInput } from '../http/errors.ts';
import { carIdParamsSchema } from '../routes/car-queries.ts';
import { carPage } from './car-page.ts';
import type { RenderedPage } from './page-shell.ts';
import { searchPage } from './search-page.ts';

function sendPage(reply: FastifyReply, page: RenderedPage): FastifyReply {
  return reply
    .header('content-security-policy', page.csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(page.html);
}

export function registerWebPages(app: FastifyInstance): void {
  // The filters are read by the page's script from the URL; the server ignores the query string.
  app.get('/', async (_request, reply) => sendPage(reply, searchPage()));

  app.get('/cars/:id', async (request, reply) => {
    const { id } = parseInput(carIdParamsSchema, request.params, 'car id');
    return sendPage(reply, carPage(id));
  });
}
