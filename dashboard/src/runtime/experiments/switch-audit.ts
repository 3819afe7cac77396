// One audit row per setting switch an experiment makes on the target (and its reset at the end), with
// the settings that changed, so a switch is on record like a chaos change and drawn on the charts.
import type { ExperimentEvent } from 'load-tests';
import { changedSettings, SWITCH_ACTION, type SwitchDetails } from '../../lib/change-markers.ts';
import type { Role } from '../../lib/roles.ts';
import type { AuditLog } from '../../server/audit.ts';

/** Follows an experiment's events; returns the write of the audit row, if one was due. */
export function switchAuditor(opts: {
  audit: Pick<AuditLog, 'record'>;
  /** The target's base URL and the resource switched, e.g. /admin/optimisations. */
  target: string;
  resource: string;
  actor: string;
  role: Role | '';
}): (event: ExperimentEvent) => Promise<void> | undefined {
  let current: Record<string, unknown> | null = null;
  let experimentId = '';
  const record = (variant: string | null, next: Record<string, unknown>) => {
    const changed = changedSettings(current ?? {}, next);
    current = next;
    // A switch to what the target already holds (two slots of one variant in a row) changes nothing.
    if (Object.keys(changed).length === 0) return undefined;
    const details: SwitchDetails = { experimentId, resource: opts.resource, variant, changed };
    return opts.audit.record({
      actor: opts.actor,
      role: opts.role,
      action: SWITCH_ACTION,
      target: `${opts.target}${opts.resource}`,
      details: { ...details },
    });
  };
  return (event) => {
    switch (event.type) {
      case 'started':
        experimentId = event.experimentId;
        current = event.originalSettings;
        return undefined;
      case 'switched':
        return record(event.slot.variant, event.settings);
      case 'reset':
        return record(null, event.settings);
      case 'waiting':
      case 'run':
      case 'reset-failed':
      case 'ended':
        return undefined;
      default:
        return event satisfies never;
    }
  };
}
