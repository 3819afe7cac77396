// A run or alert state as a coloured pill.
export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`badge badge-${state}`} data-testid={testId}>
      {state}
    </span>
  );
}
