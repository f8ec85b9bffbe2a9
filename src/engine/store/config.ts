/**
 * Buffer sizing of a store, as the design document's `PersistentStoreConfig`. Normalization
 * uses upstream's ranges (see format-notes "Upstream config rules").
 */
export interface PersistentStoreConfig {
  /** Size of a new journal file in bytes. */
  initialBufferSize: number;
  /** Largest size the buffer may grow to. */
  maxCapacityBytes: number;
  /** Rotate once `position >= floor(bufferLength × ratio)`. */
  highWaterMarkRatio: number;
}

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

export const DEFAULT_INITIAL_BUFFER_SIZE = 8 * KIB;
export const DEFAULT_MAX_CAPACITY_BYTES = MIB;
export const DEFAULT_HIGH_WATER_MARK_RATIO = 0.7;
export const MIN_BUFFER_SIZE = 4 * KIB;
export const MAX_BUFFER_SIZE = GIB;

export const DEFAULT_CONFIG: PersistentStoreConfig = {
  initialBufferSize: DEFAULT_INITIAL_BUFFER_SIZE,
  maxCapacityBytes: DEFAULT_MAX_CAPACITY_BYTES,
  highWaterMarkRatio: DEFAULT_HIGH_WATER_MARK_RATIO,
};

/** Smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

const isNumber = (n: unknown): n is number => typeof n === 'number' && !Number.isNaN(n);

/**
 * Replaces invalid values by safe defaults, exactly as upstream's `normalize()`:
 * - initial outside [4 KiB, 1 GiB] (or missing) → 8 KiB, then rounded up to a power of two;
 * - max missing, below the (normalized) initial or above 1 GiB → 1 MiB;
 * - ratio NaN or outside [0.1, 1.0] → 0.7.
 * Like upstream, a max that is still below the initial size after this (initial > 1 MiB with a
 * bad max) is returned as is; the store never shrinks a buffer below its current size anyway.
 */
export function normalizeConfig(input: Partial<PersistentStoreConfig> = {}): PersistentStoreConfig {
  let initial = input.initialBufferSize;
  if (!isNumber(initial) || initial < MIN_BUFFER_SIZE || initial > MAX_BUFFER_SIZE) initial = DEFAULT_INITIAL_BUFFER_SIZE;
  initial = nextPowerOfTwo(Math.ceil(initial));
  let max = input.maxCapacityBytes;
  if (!isNumber(max) || max < initial || max > MAX_BUFFER_SIZE) max = DEFAULT_MAX_CAPACITY_BYTES;
  let ratio = input.highWaterMarkRatio;
  if (!isNumber(ratio) || ratio < 0.1 || ratio > 1.0) ratio = DEFAULT_HIGH_WATER_MARK_RATIO;
  return { initialBufferSize: initial, maxCapacityBytes: Math.floor(max), highWaterMarkRatio: ratio };
}

/**
 * The config used without normalization (`normalize: false`), to reproduce stores upstream
 * wrote with values normalize() would change (upstream's store never called it): missing
 * fields take the defaults, and only values the store cannot work with at all are refused.
 */
export function rawConfig(input: Partial<PersistentStoreConfig> = {}): PersistentStoreConfig {
  const config = { ...DEFAULT_CONFIG, ...stripUndefined(input) };
  const { initialBufferSize: initial, maxCapacityBytes: max, highWaterMarkRatio: ratio } = config;
  if (!Number.isSafeInteger(initial) || initial < 64) throw new RangeError(`initialBufferSize ${initial} is not usable (an integer >= 64 is needed)`);
  if (!Number.isSafeInteger(max) || max < 64) throw new RangeError(`maxCapacityBytes ${max} is not usable (an integer >= 64 is needed)`);
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`highWaterMarkRatio ${ratio} is not in (0, 1]`);
  return config;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
