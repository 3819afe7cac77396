// One headline figure: label, value (or "no data"), and a hint line.
export function BigNumber({
  label,
  value,
  hint,
  testId,
  tone,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
  tone?: 'ok' | 'bad';
}) {
  const missing = value === 'no data';
  return (
    <div className="big-number">
      <div className="big-number-label">{label}</div>
      <div
        className={`big-number-value${missing ? ' missing' : ''}${tone ? ` ${tone}` : ''}`}
        data-testid={testId}
      >
        {value}
      </div>
      {hint ? <div className="big-number-hint">{hint}</div> : null}
    </div>
  );
}
