// One headline figure: label, value (or "no data"), and a hint line; `title` says on hover what
// its colour means.
export function BigNumber({
  label,
  value,
  hint,
  testId,
  tone,
  title,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
  tone?: 'ok' | 'warn' | 'bad' | undefined;
  title?: string | undefined;
}) {
  const missing = value === 'no data';
  return (
    <div className="big-number">
      <div className="big-number-label">{label}</div>
      <div
        className={`big-number-value${missing ? ' missing' : ''}${tone ? ` ${tone}` : ''}`}
        data-testid={testId}
        data-tone={tone}
        title={title}
      >
        {value}
      </div>
      {hint ? <div className="big-number-hint">{hint}</div> : null}
    </div>
  );
}
