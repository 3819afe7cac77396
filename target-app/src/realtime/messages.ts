// The price feed's wire format. Clients send watch/unwatch (validated with zod: a bad message gets an
// error message back, the socket stays open); the server sends price changes with two timestamps so
// clients can measure delivery latency: changedAt (committed) and sentAt (written to this socket).
import { z } from 'zod';
import type { Issue } from '../http/errors.ts';

/** How many cars one connection may watch (a bound on per-socket memory and fan-out). */
export const MAX_WATCHED_CARS = 500;
/** Largest client frame accepted; anything bigger is a protocol abuse, not a watch list. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

const carIds = z
  .array(
    z.number().int('must be whole numbers').min(1, 'must be positive').max(2_147_483_647, 'out of range'),
  )
  .min(1, 'must list at least one car id')
  .max(MAX_WATCHED_CARS, `must list at most ${MAX_WATCHED_CARS} car ids`);

export const clientMessageSchema = z.discriminatedUnion(
  'type',
  [
    /** Adds cars to this connection's watch list. */
    z.strictObject({ type: z.literal('watch'), carIds }),
    /** Removes cars from it. */
    z.strictObject({ type: z.literal('unwatch'), carIds }),
  ],
  { error: "type must be 'watch' or 'unwatch'" },
);

export type ClientMessage = z.output<typeof clientMessageSchema>;

/** One committed price change, as published on the bus (between instances when Redis is used). */
export const priceChangeSchema = z.strictObject({
  carId: z.number().int().positive(),
  price: z.number().int().nonnegative(),
  previousPrice: z.number().int().nonnegative(),
  /** Epoch milliseconds when the change was committed. */
  changedAt: z.number().positive(),
});

export type PriceChange = z.output<typeof priceChangeSchema>;

export type ServerMessage =
  | { type: 'watching'; carIds: number[] }
  | ({ type: 'price' /** Epoch milliseconds when this message was sent. */; sentAt: number } & PriceChange)
  | { type: 'error'; error: string; issues?: Issue[] };
