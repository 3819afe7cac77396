import { expect, test } from 'vitest';
import { exitCodeMeaning, outcomeOfExit } from '../src/exit-codes.ts';

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
  expect(outcomeOfExit(0, null, false)).toEqual({ state: 'finished' });
  expect(outcomeOfExit(99, null, false)).toEqual({ state: 'finished' });
});

test('stops and aborts end as aborted', () => {
  expect(outcomeOfExit(103, null, true)).toEqual({ state: 'aborted', reason: 'stopped by user' });
  expect(outcomeOfExit(105, null, true)).toEqual({ state: 'aborted', reason: 'stopped by user' });
  expect(outcomeOfExit(null, 'SIGKILL', true)).toEqual({ state: 'aborted', reason: 'stopped by user' });
  expect(outcomeOfExit(103, null, false).state).toBe('aborted');
  expect(outcomeOfExit(105, null, false).state).toBe('aborted');
  expect(outcomeOfExit(108, null, false)).toEqual({ state: 'aborted', reason: 'script called test.abort()' });
});

test('anything else is a failure with a reason', () => {
  expect(outcomeOfExit(107, null, false)).toEqual({
    state: 'failed',
    reason: 'k6 script exception (exit 107)',
  });
  expect(outcomeOfExit(104, null, false).state).toBe('failed');
  expect(outcomeOfExit(null, 'SIGSEGV', false)).toEqual({ state: 'failed', reason: 'k6 killed by SIGSEGV' });
});
