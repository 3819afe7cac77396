// What the audit log records; shared by the server (which writes and filters) and the audit page.
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'run.launch',
  'run.stop',
  'run.baseline',
  'experiment.launch',
  'experiment.stop',
  'experiment.switch',
  'alert.silence',
  'alert.unsilence',
  'alert.ack',
  'chaos.change',
  'config.change',
  'receiver.add',
  'receiver.edit',
  'receiver.remove',
  'receiver.test',
  'token.create',
  'token.revoke',
  'token.use',
  'token.refused',
  'schedule.create',
  'schedule.pause',
  'schedule.resume',
  'schedule.delete',
  'user.create',
  'user.role',
  'user.password',
  'user.disable',
  'user.enable',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: string): value is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(value);
