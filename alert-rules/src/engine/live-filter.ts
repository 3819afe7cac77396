// The store's row filter, in memory: which accepted rows a rule reads. It answers as the SQL of
// the collector's whereClause/attributeCondition does — a missing attribute is '' (a Map's
// default), `=`/`!=` compare text, ordering operators compare toFloat64OrNull(value), which is
// false for text that is not a number.
import type { AcceptedRowCommon, AttributeFilter } from 'collector';
import { conditionHolds } from '../evaluate.ts';
import type { StatRule } from '../rule-schema.ts';

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const special = /^([+-]?)(inf|infinity|nan)$/i;

/** ClickHouse's toFloat64OrNull: decimal or exponent text, inf and nan; null for anything else. */
export function toFloat64OrNull(text: string): number | null {
  if (decimal.test(text)) return Number(text);
  const m = special.exec(text);
  if (!m) return null;
  if (m[2]!.toLowerCase() === 'nan') return Number.NaN;
  return m[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function filterHolds(attributes: Readonly<Record<string, string>>, f: AttributeFilter): boolean {
  const text = attributes[f.key] ?? '';
  switch (f.op) {
    case '=':
      return text === String(f.value);
    case '!=':
      return text !== String(f.value);
    default: {
      const n = toFloat64OrNull(text);
      return n !== null && conditionHolds(n, f.op, Number(f.value));
    }
  }
}

/** Every filter holds (an empty list holds). */
export function filtersHold(
  attributes: Readonly<Record<string, string>>,
  filters: readonly AttributeFilter[],
) {
  return filters.every((f) => filterHolds(attributes, f));
}

/** The rule's metric, service and `where`: the row is in the rule's series. */
export function ruleReads(rule: StatRule, row: AcceptedRowCommon): boolean {
  return (
    row.MetricName === rule.metric &&
    (!rule.service || row.ServiceName === rule.service) &&
    filtersHold(row.Attributes, rule.where)
  );
}

/** The group a row belongs to, as the store path's `by` columns: `service` is ServiceName. */
export function groupValues(rule: StatRule, row: AcceptedRowCommon): string[] {
  return rule.by.map((key) => (key === 'service' ? row.ServiceName : (row.Attributes[key] ?? '')));
}
