// The audit log: who did what, when — sign-ins (failed ones too), launches, stops, silences,
// acknowledgements, chaos and config changes — appended to cp_audit_log by the server procedures.
import type { Store } from 'collector';
import type { AuditAction } from '../lib/audit-actions.ts';
import type { Role } from '../lib/roles.ts';

export { AUDIT_ACTIONS, type AuditAction } from '../lib/audit-actions.ts';

export interface AuditEvent {
  /** User name, or the name tried for a failed sign-in. */
  actor: string;
  /** The actor's role; '' when unknown (failed sign-in). */
  role: Role | '';
  action: AuditAction;
  /** What was acted on: a run id, an alert fingerprint, a silence id, a setting. */
  target: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEvent> {
  at: number;
}

export interface AuditFilter {
  fromMs: number;
  toMs: number;
  actor?: string | undefined;
  action?: AuditAction | undefined;
  limit: number;
}

export interface AuditLog {
  /** Appends one event. Never throws: a store outage is logged, not turned into a failed action. */
  record(event: AuditEvent): Promise<void>;
  list(filter: AuditFilter): Promise<AuditEntry[]>;
}

interface AuditRow {
  /** Unix ms; named apart from At, since a ClickHouse alias would shadow the column in WHERE. */
  AtMs: string | number;
  Actor: string;
  Role: string;
  Action: string;
  Target: string;
  Details: string;
}

export function createAuditLog(
  client: Store['client'],
  log: (line: string) => void = (line) => console.error(line),
): AuditLog {
  return {
    async record(event) {
      try {
        await client.insert({
          table: 'cp_audit_log',
          format: 'JSONEachRow',
          values: [
            {
              At: Date.now(),
              Actor: event.actor,
              Role: event.role,
              Action: event.action,
              Target: event.target,
              Details: JSON.stringify(event.details ?? {}),
            },
          ],
        });
      } catch (error) {
        log(`audit: could not record ${event.action} by ${event.actor}: ${(error as Error).message}`);
      }
    },

    async list(filter) {
      const result = await client.query({
        query: `SELECT toUnixTimestamp64Milli(At) AS AtMs, Actor, Role, Action, Target, Details
                FROM cp_audit_log
                WHERE At >= fromUnixTimestamp64Milli({from:Int64}) AND At <= fromUnixTimestamp64Milli({to:Int64})
                  AND ({actor:String} = '' OR Actor = {actor:String})
                  AND ({action:String} = '' OR Action = {action:String})
                ORDER BY At DESC
                LIMIT {limit:UInt32}`,
        query_params: {
          from: filter.fromMs,
          to: filter.toMs,
          actor: filter.actor ?? '',
          action: filter.action ?? '',
          limit: filter.limit,
        },
        format: 'JSONEachRow',
      });
      const rows = await result.json<AuditRow>();
      return rows.map((r) => ({
        at: Number(r.AtMs),
        actor: r.Actor,
        role: r.Role as Role | '',
        action: r.Action as AuditAction,
        target: r.Target,
        details: parseDetails(r.Details),
      }));
    },
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
