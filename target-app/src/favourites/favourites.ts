// A user's favourite cars. Each write changes the favourite row and the car's counter atomically,
// then drops every cached response that shows that counter: the car's details, and the similar-car,
// recommendation and search lists (whole kinds: any of their entries may include the car).
import type { Context } from '@opentelemetry/api';
import type { CacheKind, TwoLevelCache } from '../cache/two-level-cache.ts';
import type { Car } from '../cars/generate.ts';
import type { Database } from '../db/database.ts';
import type { DbInstrumentation, DbOperation } from '../telemetry/db-client.ts';
import {
  ADD_FAVOURITE,
  COUNT_FAVOURITES,
  FAVOURITE_IDS,
  LIST_FAVOURITES,
  REMOVE_FAVOURITE,
} from './favourite-sql.ts';

export type FavouriteCar = Car & { favouritedAt: string };
export type AddResult = { state: 'added' | 'already' | 'no-such-car'; favouriteCount: number | null };
export type RemoveResult = { removed: boolean; favouriteCount: number | null };

export type Favourites = {
  add(userId: number, carId: number, parent?: Context): Promise<AddResult>;
  remove(userId: number, carId: number, parent?: Context): Promise<RemoveResult>;
  list(userId: number, limit: number, parent?: Context): Promise<{ items: FavouriteCar[]; total: number }>;
  /** The user's most recent favourites' ids (recommendation seeds). */
  ids(userId: number, limit: number, parent?: Context): Promise<number[]>;
};

/** Kinds whose entries may show a car's favourite counter. */
const LIST_KINDS: readonly CacheKind[] = ['similar', 'recommendations', 'search'];

export function createFavourites(
  db: Database,
  instrumentation: DbInstrumentation,
  cache: TwoLevelCache,
): Favourites {
  const run = async <T>(
    operation: DbOperation['operation'],
    text: string,
    values: unknown[],
    parent?: Context,
  ) =>
    instrumentation.run({ operation, collection: 'favourites', text }, parent, async () => {
      return (await db.query<T>(text, values)).rows;
    });

  // Dropping a kind scans Redis; under a stream of writes one scan per kind runs at a time, and writes
  // arriving meanwhile share one more scan after it (which starts after they committed).
  const inFlight = new Map<CacheKind, Promise<void>>();
  const queued = new Map<CacheKind, Promise<void>>();
  function invalidateKind(kind: CacheKind): Promise<void> {
    const waiting = queued.get(kind);
    if (waiting !== undefined) return waiting;
    const running = inFlight.get(kind);
    const start = (): Promise<void> => {
      queued.delete(kind);
      const next = cache.invalidateKind(kind).finally(() => inFlight.delete(kind));
      inFlight.set(kind, next);
      return next;
    };
    if (running === undefined) return start();
    const after = running.then(start, start);
    queued.set(kind, after);
    return after;
  }

  async function invalidate(carId: number): Promise<void> {
    await Promise.all([cache.invalidate('car', String(carId)), ...LIST_KINDS.map(invalidateKind)]);
  }

  return {
    async add(userId, carId, parent) {
      const [row] = await run<{ carExists: boolean; added: boolean; favouriteCount: number | null }>(
        'INSERT',
        ADD_FAVOURITE,
        [userId, carId],
        parent,
      );
      if (row === undefined || !row.carExists) return { state: 'no-such-car', favouriteCount: null };
      if (row.added) await invalidate(carId);
      return { state: row.added ? 'added' : 'already', favouriteCount: row.favouriteCount };
    },
    async remove(userId, carId, parent) {
      const [row] = await run<{ removed: boolean; favouriteCount: number | null }>(
        'DELETE',
        REMOVE_FAVOURITE,
        [userId, carId],
        parent,
      );
      const removed = row?.removed === true;
      if (removed) await invalidate(carId);
      return { removed, favouriteCount: row?.favouriteCount ?? null };
    },
    async list(userId, limit, parent) {
      const [items, counted] = await Promise.all([
        run<FavouriteCar>('SELECT', LIST_FAVOURITES, [userId, limit], parent),
        run<{ total: number }>('SELECT', COUNT_FAVOURITES, [userId], parent),
      ]);
      return {
        items: items.map((item) => ({ ...item, favouritedAt: new Date(item.favouritedAt).toISOString() })),
        total: counted[0]?.total ?? 0,
      };
    },
    async ids(userId, limit, parent) {
      return (await run<{ carId: number }>('SELECT', FAVOURITE_IDS, [userId, limit], parent)).map(
        (r) => r.carId,
      );
    },
  };
}
