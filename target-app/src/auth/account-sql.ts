// SQL for accounts and the verification-mail outbox. Values always travel as parameters.

/**
 * One statement, so atomic: the user and their verification mail are written together or not at
 * all. A taken e-mail inserts no user (`id` null); its owner is mailed instead ($6, $7), so the
 * caller learns nothing the owner does not. One row either way, with the queued mail's id.
 */
export const INSERT_USER_WITH_MAIL = `WITH new_user AS (
  INSERT INTO users (email, password_hash, verify_token_hash) VALUES ($1, $2, $3)
  ON CONFLICT (email) DO NOTHING
  RETURNING id, email
), mail AS (
  INSERT INTO email_outbox (recipient, subject, body)
  SELECT email, $4, $5 FROM new_user
  UNION ALL
  SELECT $1, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM new_user)
  RETURNING id
)
SELECT (SELECT id FROM new_user) AS id, mail.id::float8 AS "mailId" FROM mail`;

export const SELECT_LOGIN =
  'SELECT id, public_id AS "publicId", password_hash AS "passwordHash" FROM users WHERE email = $1';

/**
 * A token's user, by the public id it names (never by the serial id, which a new database reuses),
 * and whether its session ($2) is live: a session keeps exactly one refresh token until logout.
 */
export const SELECT_USER = `SELECT u.id, u.email, u.verified_at IS NOT NULL AS verified,
  EXISTS (SELECT 1 FROM refresh_tokens AS r WHERE r.session_id = $2 AND r.user_id = u.id) AS live
FROM users AS u WHERE u.public_id = $1`;

/** A login's refresh token ($1 = jti); the user's expired ones are cleared on the way. */
export const INSERT_REFRESH_TOKEN = `WITH expired AS (
  DELETE FROM refresh_tokens WHERE user_id = $2 AND expires_at <= now()
)
INSERT INTO refresh_tokens (id, user_id, session_id, expires_at) VALUES ($1, $2, $3, to_timestamp($4))`;

/**
 * Rotation in one statement: spends refresh token $1 (of session $2, user $3 by public id) and stores
 * its successor $4 in the same session. A token that is not a row — spent, its session ended, or from
 * another database — returns no row (→ 401). Of concurrent uses, the row lock lets exactly one delete it.
 */
export const ROTATE_REFRESH_TOKEN = `WITH spent AS (
  DELETE FROM refresh_tokens AS r USING users AS u
  WHERE r.id = $1 AND r.session_id = $2 AND r.expires_at > now() AND u.id = r.user_id AND u.public_id = $3
  RETURNING r.user_id, r.session_id
)
INSERT INTO refresh_tokens (id, user_id, session_id, expires_at)
SELECT $4, user_id, session_id, to_timestamp($5) FROM spent
RETURNING user_id AS "userId"`;

/** Logout: every refresh token of the session ($1) of user $2. */
export const END_SESSION = 'DELETE FROM refresh_tokens WHERE session_id = $1 AND user_id = $2';

/** Logout with a refresh token of another session of the same user: that one goes too. */
export const DELETE_REFRESH_TOKEN = 'DELETE FROM refresh_tokens WHERE id = $1 AND user_id = $2';

export const VERIFY_EMAIL = `UPDATE users SET verified_at = now(), verify_token_hash = NULL
WHERE verify_token_hash = $1 AND verified_at IS NULL RETURNING id`;

/**
 * Leases up to $1 due mails for $2 seconds. SKIP LOCKED lets several instances drain one outbox
 * without sending a mail twice; a sender that dies mid-delivery only delays it by the lease.
 */
export const CLAIM_MAILS = `WITH due AS (
  SELECT id FROM email_outbox WHERE delivered_at IS NULL AND next_attempt_at <= now()
  ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE email_outbox AS o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
FROM due WHERE o.id = due.id
RETURNING o.id::float8 AS id, o.recipient, o.subject, o.body, o.attempts`;

/** Leases one mail ($1) for $2 seconds, as CLAIM_MAILS does, unless it was delivered or is leased. */
export const CLAIM_MAIL = `UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
WHERE id = $1 AND delivered_at IS NULL AND next_attempt_at <= now()
RETURNING id::float8 AS id, recipient, subject, body, attempts`;

export const MARK_DELIVERED =
  'UPDATE email_outbox SET delivered_at = now(), delivered_to = $2, last_error = NULL WHERE id = $1';

/** Retry later: the lease is replaced by a backoff of $3 seconds. */
export const MARK_FAILED = `UPDATE email_outbox SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
WHERE id = $1`;
