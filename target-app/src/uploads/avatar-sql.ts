// SQL for profile pictures: one row per user, the image bytes in a bytea column next to the rest of
// the account data (PostgreSQL and PGlite alike; no separate file store to back up or keep in sync).

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** Part of the account tables (schema.ts): created if missing at start, kept across restarts. */
export const CREATE_AVATARS = `
CREATE TABLE IF NOT EXISTS avatars (
  user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  image bytea NOT NULL CHECK (octet_length(image) BETWEEN 1 AND ${AVATAR_MAX_BYTES}),
  etag text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;

// xmax = 0 only on a freshly inserted row: tells "created" from "replaced" in one statement.
export const UPSERT_AVATAR = `INSERT INTO avatars (user_id, content_type, image, etag) VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id) DO UPDATE
  SET content_type = EXCLUDED.content_type, image = EXCLUDED.image, etag = EXCLUDED.etag, updated_at = now()
RETURNING (xmax = 0) AS created, updated_at AS "updatedAt"`;

// A client that already holds the current version (If-None-Match) gets no bytes read or sent.
export const SELECT_AVATAR = `SELECT content_type AS "contentType", etag, updated_at AS "updatedAt",
  CASE WHEN etag = ANY($2::text[]) OR '*' = ANY($2::text[]) THEN NULL ELSE image END AS image
FROM avatars WHERE user_id = $1`;

export const DELETE_AVATAR = 'DELETE FROM avatars WHERE user_id = $1 RETURNING user_id';
