import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, parseRetryAfter, retryDelayMs } from '../src/index.js';

describe('retry timing', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(['3'])).toBe(3);
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('honours Retry-After up to the cap', () => {
    expect(retryDelayMs(defaultRetryPolicy, 1, 2)).toBe(2000);
    expect(retryDelayMs({ ...defaultRetryPolicy, maxDelayMs: 1500 }, 1, 60)).toBe(1500);
  });

  it('backs off exponentially with jitter between half and all of the step', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 4, undefined, () => 1)).toBe(800);
    expect(retryDelayMs(policy, 20, undefined, () => 1)).toBe(10_000);
  });
});
