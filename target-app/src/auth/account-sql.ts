// SQL for accounts and the verification-mail outbox. Values always travel as parameters.

/**
 * One statement, so atomic: the user and their verification mail are written together or not at
 * all. A taken e-mail inserts nothing and returns no row (→ 409).
 */
export const INSERT_USER_WITH_MAIL = `WITH new_user AS (
  INSERT INTO users (email, password_hash, verify_token_hash) VALUES ($1, $2, $3)
  ON CONFLICT (email) DO NOTHING
  RETURNING id, email
), mail AS (
  INSERT INTO email_outbox (recipient, subject, body) SELECT email, $4, $5 FROM new_user
)
SELECT id FROM new_user`;

export const SELECT_LOGIN = 'SELECT id, password_hash AS "passwordHash" FROM users WHERE email = $1';

export const SELECT_USER = 'SELECT id, email, verified_at IS NOT NULL AS verified FROM users WHERE id = $1';

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

export const MARK_DELIVERED =
  'UPDATE email_outbox SET delivered_at = now(), delivered_to = $2, last_error = NULL WHERE id = $1';

/** Retry later: the lease is replaced by a backoff of $3 seconds. */
export const MARK_FAILED = `UPDATE email_outbox SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3)
WHERE id = $1`;
