import { describe, expect, it } from 'vitest';
import { CoalescingSender, SlidingWindowLimiter, type Sleep } from '../src/jobs/rate-limit.js';

/** A clock that only moves when something sleeps on it. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms) => {
    sleeps.push(ms);
    now += ms;
  };
  return { now: () => now, sleep, sleeps, advance: (ms: number) => (now += ms) };
}

describe('SlidingWindowLimiter', () => {
  it('lets `limit` calls through per window, then waits for the oldest to age out', async () => {
    const t = virtualTime();
    const limiter = new SlidingWindowLimiter(3, 60_000, t.now, t.sleep);
    const times: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await limiter.acquire();
      times.push(t.now());
    }
    expect(times).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });
});

describe('CoalescingSender', () => {
  it('sends the first value at once, then only the latest per interval, and always the last', async () => {
    const t = virtualTime();
    const sent: number[] = [];
    let release: () => void = () => undefined;
    const sender = new CoalescingSender<number>({
      send: async (v) => {
        sent.push(v);
        if (v === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      minIntervalMs: 1_000,
      now: t.now,
      sleep: t.sleep,
    });
    sender.push(1);
    // While 1 is in flight, three more arrive: only the newest may be sent next.
    sender.push(2);
    sender.push(3);
    sender.push(4);
    release();
    await sender.flush();
    expect(sent).toEqual([1, 4]);
    expect(t.sleeps).toEqual([1_000]);
    sender.push(5);
    await sender.flush();
    expect(sent).toEqual([1, 4, 5]);
  });

  it('shares the limiter between senders', async () => {
    const t = virtualTime();
    const limiter = new SlidingWindowLimiter(2, 60_000, t.now, t.sleep);
    const sent: string[] = [];
    const make = (name: string) =>
      new CoalescingSender<number>({
        send: async (v) => {
          sent.push(`${name}${v}@${t.now()}`);
        },
        minIntervalMs: 0,
        limiter,
        now: t.now,
        sleep: t.sleep,
      });
    const a = make('a');
    const b = make('b');
    a.push(1);
    await a.flush();
    b.push(1);
    await b.flush();
    a.push(2);
    await a.flush();
    expect(sent).toEqual(['a1@0', 'b1@0', 'a2@60000']);
  });

  it('keeps going after a failed send', async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const sender = new CoalescingSender<number>({
      send: async (v) => {
        if (v === 1) throw new Error('ratelimited');
        sent.push(v);
      },
      minIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    sender.push(1);
    await sender.flush();
    sender.push(2);
    await sender.flush();
    expect(sent).toEqual([2]);
    expect(errors).toHaveLength(1);
  });

  it('sends a failed value again when nothing newer came, as long as the retry policy allows', async () => {
    const t = virtualTime();
    const attempts: number[] = [];
    const sender = new CoalescingSender<number>({
      send: async (v) => {
        attempts.push(v);
        if (attempts.length < 3) throw Object.assign(new Error('ratelimited'), { code: 'rate' });
      },
      minIntervalMs: 0,
      retryDelayMs: (_e, attempt) => (attempt <= 5 ? 1_000 * attempt : undefined),
      now: t.now,
      sleep: t.sleep,
    });
    sender.push(7);
    await sender.flush();
    expect(attempts).toEqual([7, 7, 7]);
    expect(t.sleeps).toEqual([1_000, 2_000]);
    expect(sender.sent).toBe(1);
  });
});
