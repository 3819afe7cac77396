// Users' profile pictures: store (replacing the previous one), read back (skipping the bytes when the
// client's copy is current), remove. Each query is a DB client span and a duration sample.
import { createHash } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { Database } from '../db/database.ts';
import type { DbInstrumentation, DbOperation } from '../telemetry/db-client.ts';
import { DELETE_AVATAR, SELECT_AVATAR, UPSERT_AVATAR } from './avatar-sql.ts';
import type { ImageType } from './image-type.ts';

export type StoredAvatar = { created: boolean; etag: string; updatedAt: string };

export type Avatar = {
  contentType: ImageType;
  etag: string;
  updatedAt: Date;
  /** Undefined when the caller already holds this version (one of `knownEtags`). */
  image: Buffer | undefined;
};

export type Avatars = {
  put(userId: number, contentType: ImageType, image: Buffer, parent?: Context): Promise<StoredAvatar>;
  get(userId: number, knownEtags: string[], parent?: Context): Promise<Avatar | undefined>;
  /** Whether there was one to remove. */
  remove(userId: number, parent?: Context): Promise<boolean>;
};

/** The version of an image: 64 bits of its SHA-256, as the ETag and the `v` of its URL. */
export const avatarEtag = (image: Uint8Array) =>
  createHash('sha256').update(image).digest('hex').slice(0, 16);

// pg returns bytea as a Buffer, PGlite as a Uint8Array: one type for the routes.
const asBuffer = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function createAvatars(db: Database, instrumentation: DbInstrumentation): Avatars {
  const run = <T>(operation: DbOperation['operation'], text: string, values: unknown[], parent?: Context) =>
    instrumentation.run({ operation, collection: 'avatars', text }, parent, async () => {
      return (await db.query<T>(text, values)).rows;
    });

  return {
    async put(userId, contentType, image, parent) {
      const etag = avatarEtag(image);
      const [row] = await run<{ created: boolean; updatedAt: Date | string }>(
        'INSERT',
        UPSERT_AVATAR,
        [userId, contentType, image, etag],
        parent,
      );
      if (row === undefined) throw new Error('avatar upsert returned no row');
      return { created: row.created, etag, updatedAt: new Date(row.updatedAt).toISOString() };
    },
    async get(userId, knownEtags, parent) {
      const [row] = await run<{
        contentType: ImageType;
        etag: string;
        updatedAt: Date | string;
        image: Uint8Array | null;
      }>('SELECT', SELECT_AVATAR, [userId, knownEtags], parent);
      if (row === undefined) return undefined;
      return {
        contentType: row.contentType,
        etag: row.etag,
        updatedAt: new Date(row.updatedAt),
        image: row.image === null ? undefined : asBuffer(row.image),
      };
    },
    async remove(userId, parent) {
      return (await run<{ user_id: number }>('DELETE', DELETE_AVATAR, [userId], parent)).length > 0;
    },
  };
}
