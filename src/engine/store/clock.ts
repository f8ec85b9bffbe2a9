/** A clock in microseconds since the Unix epoch. Stores clamp it to be non-decreasing. */
export type Clock = () => number;

/** Wall clock with microsecond resolution (Date.now() has only milliseconds). */
export const systemClockMicros: Clock = () => Math.floor((performance.timeOrigin + performance.now()) * 1000);

/** The next write's timestamp: `now` clamped to be >= `last`; rejects what a varint frame cannot hold exactly. */
export function clampedTimestamp(now: number, last: number): number {
  if (!Number.isFinite(now)) throw new RangeError(`clock returned ${now}, not a number of microseconds`);
  const ts = Math.max(Math.floor(now), last, 0);
  if (ts > Number.MAX_SAFE_INTEGER) throw new RangeError(`timestamp ${ts} µs is beyond 2^53 and cannot be stored exactly`);
  return ts;
}
