// What the audit log records; shared by the server (which writes and filters) and the audit page.
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'run.launch',
  'run.stop',
  'run.baseline',
  'alert.silence',
  'alert.unsilence',
  'alert.ack',
  'chaos.change',
  'config.change',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);
