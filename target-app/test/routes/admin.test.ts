import { describe, expect, it } from 'vitest';
import { isAuthorized } from '../../src/routes/admin.ts';

describe('isAuthorized', () => {
  const token = 'correct-horse-battery';
  it('accepts exactly "Bearer <token>" (scheme case-insensitive)', () => {
    expect(isAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(isAuthorized(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing header, another scheme, a wrong, partial or longer token', () => {
    expect(isAuthorized(undefined, token)).toBe(false);
    expect(isAuthorized('', token)).toBe(false);
    expect(isAuthorized(`Basic ${token}`, token)).toBe(false);
    expect(isAuthorized(token, token)).toBe(false);
    expect(isAuthorized('Bearer correct-horse', token)).toBe(false);
    expect(isAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(isAuthorized(`Bearer ${token} extra`, token)).toBe(false);
  });
});
