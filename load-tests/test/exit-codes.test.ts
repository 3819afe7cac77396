import { expect, test } from 'vitest';
import { exitCodeMeaning, outcomeOfExit, SHUT_DOWN, STOPPED_BY_USER } from '../src/exit-codes.ts';

test.each([
  [0, 'ok'],
  [99, 'thresholds failed'],
  [103, 'stopped through the REST API'],
  [104, 'invalid configuration'],
  [105, 'aborted by an external signal'],
  [107, 'script exception'],
  [108, 'script called test.abort()'],
])('exit %i means %s', (code, meaning) => {
  expect(exitCodeMeaning(code)).toContain(meaning);
});

test('unknown codes and signals are described, not dropped', () => {
  expect(exitCodeMeaning(42)).toBe('unknown exit code 42');
  expect(exitCodeMeaning(null, 'SIGKILL')).toBe('killed by SIGKILL');
});

test('failing thresholds are a result: the run finished', () => {
  expect(outcomeOfExit(0, null, null)).toEqual({ state: 'finished' });
  expect(outcomeOfExit(99, null, null)).toEqual({ state: 'finished' });
});

test('stops and aborts end as aborted', () => {
  expect(outcomeOfExit(103, null, STOPPED_BY_USER)).toEqual({ state: 'aborted', reason: 'stopped by user' });
  expect(outcomeOfExit(105, null, STOPPED_BY_USER)).toEqual({ state: 'aborted', reason: 'stopped by user' });
  expect(outcomeOfExit(null, 'SIGKILL', STOPPED_BY_USER)).toEqual({
    state: 'aborted',
    reason: 'stopped by user',
  });
  expect(outcomeOfExit(103, null, null).state).toBe('aborted');
  expect(outcomeOfExit(105, null, null).state).toBe('aborted');
  expect(outcomeOfExit(108, null, null)).toEqual({ state: 'aborted', reason: 'script called test.abort()' });
});

test('a stop for another cause ends as that cause says: shut down, or failed with the reason', () => {
  expect(outcomeOfExit(103, null, SHUT_DOWN)).toEqual({ state: 'aborted', reason: 'shut down' });
  const targetDied = { state: 'failed', reason: 'target exited: SIGKILL' } as const;
  expect(outcomeOfExit(103, null, targetDied)).toEqual(targetDied);
  expect(outcomeOfExit(null, 'SIGTERM', targetDied)).toEqual(targetDied);
  // A run that got to its end before the stop landed finished all the same.
  expect(outcomeOfExit(0, null, targetDied)).toEqual({ state: 'finished' });
});

test('anything else is a failure with a reason', () => {
  expect(outcomeOfExit(107, null, null)).toEqual({
    state: 'failed',
    reason: 'k6 script exception (exit 107)',
  });
  expect(outcomeOfExit(104, null, null).state).toBe('failed');
  expect(outcomeOfExit(null, 'SIGSEGV', null)).toEqual({ state: 'failed', reason: 'k6 killed by SIGSEGV' });
});
