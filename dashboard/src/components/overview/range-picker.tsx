'use client';
// The Overview's time range, kept in the URL (?range=5m|15m|60m) so a view can be shared.
import { TIME_RANGE_KEYS, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';

export function RangePicker({ value, onChange }: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  return (
    <fieldset className="segmented" data-testid="range-picker">
      <legend className="visually-hidden">Time range</legend>
      {TIME_RANGE_KEYS.map((key) => (
        <button
          key={key}
          type="button"
          className={key === value ? 'selected' : undefined}
          aria-pressed={key === value}
          onClick={() => onChange(key)}
          data-testid={`range-${key}`}
        >
          Last {TIME_RANGES[key].label}
        </button>
      ))}
    </fieldset>
  );
}
