/** A query's arguments are wrong: the message says which and why. */
export class QueryError extends Error {
  override name = 'QueryError';
}

export function checkTimestamp(name: string, t: unknown): number {
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) {
    throw new QueryError(`${name} must be a timestamp in µs since the epoch (a non-negative integer), got ${String(t)}`);
  }
  return t;
}

export function checkOptionalTimestamp(name: string, t: unknown): number | null {
  return t === undefined || t === null ? null : checkTimestamp(name, t);
}

export function checkCount(name: string, n: unknown, fallback: number, max: number): number {
  if (n === undefined) return fallback;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new QueryError(`${name} must be an integer from 0 to ${max}, got ${String(n)}`);
  }
  return n;
}

export function checkScope(scope: unknown): number {
  if (typeof scope !== 'number' || !Number.isInteger(scope) || scope < 0 || scope > 255) {
    throw new QueryError(`scope must be an integer from 0 to 255, got ${String(scope)}`);
  }
  return scope;
}

export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw new QueryError(`key must be a string, got ${typeof key}`);
  return key;
}
