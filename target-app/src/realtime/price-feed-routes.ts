// GET /ws/prices, the WebSocket price feed, and its part in shutdown: once Fastify stops taking
// requests, the sockets stay open until in-flight HTTP requests are answered, then close with 1001
// ("going away") so clients know to reconnect elsewhere.
import websocket from '@fastify/websocket';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';
import { trackInFlightRequests } from './http-drain.ts';
import { MAX_CLIENT_MESSAGE_BYTES } from './messages.ts';
import type { PriceHub } from './price-hub.ts';

export const PRICE_FEED_PATH = '/ws/prices';
/** Longest wait for in-flight HTTP requests before the sockets are closed anyway. */
const DRAIN_TIMEOUT_MS = 10_000;
/** Time given to clients to answer the close handshake before their sockets are cut. */
const CLOSE_GRACE_MS = 2_000;

/** Registers on the root instance, before other routes. */
export async function registerPriceFeed(app: FastifyInstance, hub: PriceHub): Promise<void> {
  const inFlight = trackInFlightRequests(app);
  await app.register(websocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES },
    // Runs before the HTTP server stops listening; the server's close only completes once every
    // socket is gone, so this must not wait: it schedules the drain-then-close and returns.
    preClose(done) {
      const server = this.websocketServer;
      inFlight.startDraining();
      void inFlight
        .drained(DRAIN_TIMEOUT_MS)
        .then(() => hub.closeAll(1001, 'server shutting down', CLOSE_GRACE_MS))
        .finally(() => {
          server.close();
          app.server.closeIdleConnections();
        });
      done();
    },
  });
  app.get(PRICE_FEED_PATH, { websocket: true }, (socket, request) => {
    // The upgrade never reaches onResponse: end the request's span here, as a 101.
    request.otelSpan?.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 101);
    request.otelSpan?.end();
    request.otelSpan = undefined;
    hub.attach(socket);
  });
}
