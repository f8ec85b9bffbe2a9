// A seeded PRNG (mulberry32), so every run of a reliability test can be replayed from its
// seed; plenty for choosing operations and kill delays.
import { prng } from '../../../src/main/demo/prng';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Log-uniform in [lo, hi]: as many draws in 2–20 as in 20–200. */
  logUniform(lo: number, hi: number): number;
  /** A child generator, independent of how much the parent is used afterwards. */
  fork(): Rng;
}

export function rng(seed: number): Rng {
  const next = prng(seed);
  const self: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))),
    fork: () => rng(Math.floor(next() * 2 ** 32)),
  };
  return self;
}

/** A seed from the environment variable `name` (decimal), or `fallback`. */
export function seedFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
}

/** A positive integer from the environment variable `name`, or `fallback`. */
export function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}
