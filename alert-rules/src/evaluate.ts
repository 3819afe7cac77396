// Evaluates one rule at one instant: its statistic over [now - window, now), through the
// collector's shared query builder, and whether that value meets the rule's condition.
import { queryStat, type Store } from 'collector';
import type { CompareOp, Rule } from './rule-schema.ts';

type Client = Store['client'];

export interface RuleValue {
  /** The statistic over the window; null when the window holds no data. */
  value: number | null;
}

/** Throws when the query fails; the engine turns that into the rule's error state. */
export async function evaluateRule(client: Client, rule: Rule, now: number): Promise<RuleValue> {
  const value = await queryStat(client, {
    metric: rule.metric,
    kind: rule.kind,
    stat: rule.stat,
    serviceName: rule.service,
    where: rule.where,
    numerator: rule.numerator,
    window: { from: now - rule.windowMs, to: now },
  });
  return { value: value === null || Number.isNaN(value) ? null : value };
}

export function conditionHolds(value: number, op: CompareOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
    default: {
      const unknown: never = op;
      throw new RangeError(`unknown comparison ${String(unknown)}`);
    }
  }
}
