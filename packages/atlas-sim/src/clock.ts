/**
 * The simulator's notion of "now". Every state machine derives its status from this clock
 * when it is read, so advancing the clock is all it takes to move time forward.
 */
export interface SimClock {
  readonly mode: 'real' | 'manual';
  /** Simulated milliseconds per real millisecond (real mode only; manual mode ignores it). */
  readonly speed: number;
  /** Current simulated time, epoch milliseconds. */
  now(): number;
  date(): Date;
  /** Moves simulated time forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Jumps simulated time to the given instant. */
  set(time: Date | number): void;
}

export interface ClockOptions {
  mode?: 'real' | 'manual';
  speed?: number;
  start?: Date | number;
}

export function createClock(options: ClockOptions = {}): SimClock {
  const mode = options.mode ?? 'real';
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed <= 0)
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  const start = options.start === undefined ? Date.now() : +options.start;
  if (!Number.isFinite(start)) throw new RangeError('clock start time is not a valid date');
  return mode === 'manual' ? manualClock(start) : realClock(start, speed);
}

function manualClock(start: number): SimClock {
  let current = start;
  return {
    mode: 'manual',
    speed: 1,
    now: () => current,
    date: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(time) {
      current = +time;
    },
  };
}

function realClock(start: number, speed: number): SimClock {
  // Simulated time = anchor + (real elapsed since realAnchor) * speed; set/advance move the anchor.
  let anchor = start;
  let realAnchor = Date.now();
  const now = (): number => anchor + (Date.now() - realAnchor) * speed;
  return {
    mode: 'real',
    speed,
    now,
    date: () => new Date(now()),
    advance(ms) {
      anchor += ms;
    },
    set(time) {
      anchor = +time;
      realAnchor = Date.now();
    },
  };
}
