// The open price-feed sockets and what each watches. A change from the bus goes to every socket
// watching that car, stamped with sentAt; client messages are validated and answered on the socket.
import type { WebSocket } from 'ws';
import { toIssues } from '../http/errors.ts';
import {
  type ClientMessage,
  clientMessageSchema,
  MAX_WATCHED_CARS,
  type PriceChange,
  type ServerMessage,
} from './messages.ts';
import type { PriceBus } from './price-bus.ts';
import type { RealtimeMetrics } from './realtime-metrics.ts';

/** A socket with this much unsent data is not reading: further price messages to it are skipped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Close codes that end a connection normally (1005: the peer sent no code). */
const NORMAL_CLOSE = new Set([1000, 1001, 1005]);

export type PriceHub = {
  attach(socket: WebSocket): void;
  connections(): number;
  /** Closes every socket with `code`, waits up to graceMs for the closing handshakes, then cuts the rest. */
  closeAll(code: number, reason: string, graceMs: number): Promise<void>;
  /** Stops listening to the bus. */
  detach(): void;
};

type Connection = { socket: WebSocket; watched: Set<number> };

export function createPriceHub(bus: PriceBus, metrics: RealtimeMetrics): PriceHub {
  const open = new Set<Connection>();
  const watchers = new Map<number, Set<Connection>>();

  function send(connection: Connection, message: ServerMessage): void {
    connection.socket.send(JSON.stringify(message));
    metrics.sent(message.type);
  }

  function deliver(change: PriceChange): void {
    const targets = watchers.get(change.carId);
    if (targets === undefined) return;
    for (const connection of targets) {
      const { socket } = connection;
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        metrics.dropped();
        continue;
      }
      const sentAt = Date.now();
      socket.send(JSON.stringify({ type: 'price', ...change, sentAt } satisfies ServerMessage));
      metrics.sent('price', Math.max(0, sentAt - change.changedAt) / 1000);
    }
  }

  function unwatch(connection: Connection, carIds: Iterable<number>): void {
    for (const id of carIds) {
      connection.watched.delete(id);
      const set = watchers.get(id);
      set?.delete(connection);
      if (set?.size === 0) watchers.delete(id);
    }
  }

  function handle(connection: Connection, message: ClientMessage): void {
    switch (message.type) {
      case 'watch': {
        const added = message.carIds.filter((id) => !connection.watched.has(id));
        if (connection.watched.size + added.length > MAX_WATCHED_CARS) {
          send(connection, {
            type: 'error',
            error: `a connection may watch at most ${MAX_WATCHED_CARS} cars (watching ${connection.watched.size})`,
          });
          return;
        }
        for (const id of added) {
          connection.watched.add(id);
          const set = watchers.get(id) ?? new Set<Connection>();
          watchers.set(id, set);
          set.add(connection);
        }
        break;
      }
      case 'unwatch':
        unwatch(connection, message.carIds);
        break;
    }
    send(connection, { type: 'watching', carIds: [...connection.watched].sort((a, b) => a - b) });
  }

  function receive(connection: Connection, data: Buffer, isBinary: boolean): void {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      send(connection, {
        type: 'error',
        error: 'messages must be JSON text, e.g. {"type":"watch","carIds":[1,2]}',
      });
      return;
    }
    const result = clientMessageSchema.safeParse(parsed);
    if (!result.success) {
      send(connection, { type: 'error', error: 'invalid message', issues: toIssues(result.error) });
      return;
    }
    handle(connection, result.data);
  }

  const unsubscribe = bus.subscribe(deliver);

  return {
    attach(socket) {
      const connection: Connection = { socket, watched: new Set() };
      const openedAt = performance.now();
      open.add(connection);
      metrics.opened();
      let failure: string | undefined;
      socket.on('message', (data: Buffer, isBinary: boolean) => receive(connection, data, isBinary));
      socket.on('error', (error: Error & { code?: string }) => {
        failure = error.code ?? error.name;
      });
      socket.on('close', (code: number) => {
        open.delete(connection);
        unwatch(connection, [...connection.watched]);
        const errorType = failure ?? (NORMAL_CLOSE.has(code) ? undefined : String(code));
        metrics.closed((performance.now() - openedAt) / 1000, errorType);
      });
    },
    connections: () => open.size,
    async closeAll(code, reason, graceMs) {
      const sockets = [...open].map((c) => c.socket);
      const closed = sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
          }),
      );
      for (const socket of sockets) socket.close(code, reason);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(closed), grace]);
      clearTimeout(timer);
      for (const socket of sockets) if (socket.readyState !== socket.CLOSED) socket.terminate();
    },
    detach: unsubscribe,
  };
}
