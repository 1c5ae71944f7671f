/** Small seeded PRNG (mulberry32): the simulator's data and random faults must replay from a seed. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return out.slice(0, length);
  }

  /** A child generator, so one consumer's draws do not shift another's sequence. */
  fork(salt: number): Rng {
    return new Rng((this.int(0, 0xffffffff) ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  }
}

/**
 * ObjectId-shaped ids (timestamp seconds + machine part + counter) like Atlas returns, but
 * reproducible: the machine part comes from the seed and the counter starts at a seeded value.
 */
export class IdFactory {
  private counter: number;
  private readonly machine: string;

  constructor(rng: Rng) {
    this.machine = rng.hex(10);
    this.counter = rng.int(0, 0xffff);
  }

  objectId(timeMs: number): string {
    this.counter = (this.counter + 1) & 0xffffff;
    const seconds = Math.max(0, Math.floor(timeMs / 1000)) >>> 0;
    return seconds.toString(16).padStart(8, '0') + this.machine + this.counter.toString(16).padStart(6, '0');
  }
}
