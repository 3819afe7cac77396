// Control-plane tables added after the first loop: alert silences and acknowledgements, the audit
// log of who did what, and each scenario's baseline run. Append-only; current state by the
// ReplacingMergeTree version column (read with FINAL or argMax).

/** Silences: one row per change (created, edited, expired); the newest UpdatedAt wins. */
export const silencesTable = `CREATE TABLE IF NOT EXISTS cp_silences (
    Id String,
    Matchers String,
    StartsAt DateTime64(3),
    EndsAt DateTime64(3),
    CreatedBy String,
    Comment String,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Id`;

/** Acknowledgements of alert instances by fingerprint; Cleared = 1 when un-acknowledged. */
export const alertAcksTable = `CREATE TABLE IF NOT EXISTS cp_alert_acks (
    Fingerprint String,
    RuleName LowCardinality(String),
    AckedBy String,
    Comment String,
    Cleared UInt8,
    At DateTime64(3)
) ENGINE = ReplacingMergeTree(At)
ORDER BY Fingerprint`;

/** Audit log: launches, stops, silences, acknowledgements, chaos and config changes, sign-ins. */
export const auditLogTable = `CREATE TABLE IF NOT EXISTS cp_audit_log (
    At DateTime64(3),
    Actor String,
    Role LowCardinality(String),
    Action LowCardinality(String),
    Target String,
    Details String
) ENGINE = MergeTree
ORDER BY At`;

/** Why a run failed, was aborted or lost (before this column the state alone said it). */
export const runsReasonColumn = "ALTER TABLE cp_runs ADD COLUMN IF NOT EXISTS Reason String DEFAULT ''";

/** The baseline run of each scenario (the newest MarkedAt wins; RunId '' clears it). */
export const runBaselinesTable = `CREATE TABLE IF NOT EXISTS cp_run_baselines (
    Scenario LowCardinality(String),
    RunId String,
    MarkedBy String,
    MarkedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(MarkedAt)
ORDER BY Scenario`;

/**
 * Dashboard sessions: one row when a session starts, another when it is revoked (the newest
 * UpdatedAt wins). IdHash is a SHA-256 of the session id, so reading the table gives no cookie.
 */
export const sessionsTable = `CREATE TABLE IF NOT EXISTS cp_sessions (
    IdHash String,
    UserName String,
    Idp LowCardinality(String),
    Issuer String,
    RoleClaims Array(String),
    CreatedAt DateTime64(3),
    ExpiresAt DateTime64(3),
    Revoked UInt8,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY IdHash
TTL toDateTime(ExpiresAt) + INTERVAL 1 DAY`;
