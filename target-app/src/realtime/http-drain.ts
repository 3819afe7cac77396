// Counts HTTP requests in flight (WebSocket upgrades excluded), so shutdown can close the price
// feed's sockets only after the last ordinary request has been answered. While draining, responses
// carry `Connection: close`: a kept-alive connection would otherwise hold the server open until
// its keep-alive timeout (72 s in Fastify).
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type InFlightRequests = {
  count(): number;
  /** From now on, connections close after their response. */
  startDraining(): void;
  /** Resolves when no request is in flight, or after timeoutMs. */
  drained(timeoutMs: number): Promise<void>;
};

export function trackInFlightRequests(app: FastifyInstance): InFlightRequests {
  const active = new WeakSet<FastifyRequest>();
  let count = 0;
  let waiters: (() => void)[] = [];
  let draining = false;
  const finish = (request: FastifyRequest) => {
    if (!active.delete(request)) return;
    count--;
    if (count === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') {
      active.add(request);
      count++;
    }
    done();
  });
  app.addHook('onSend', (_request, reply, _payload, done) => {
    if (draining) reply.header('connection', 'close');
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    finish(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    finish(request);
    done();
  });
  return {
    count: () => count,
    startDraining: () => {
      draining = true;
    },
    drained(timeoutMs) {
      if (count === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
