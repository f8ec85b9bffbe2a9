import type { KeyTable } from '../keyTable';
import { QueryError } from './errors';

/** Which keys a query looks at. Filters depend on keys only, never on time. */
export interface KeyFilter {
  scope?: number;
  /** Keys starting with this. */
  keyPrefix?: string;
  /** Keys containing this (case-sensitive). */
  keySubstring?: string;
}

export function checkFilter(filter: KeyFilter): KeyFilter {
  if (filter.keyPrefix !== undefined && typeof filter.keyPrefix !== 'string') throw new QueryError('keyPrefix must be a string');
  if (filter.keySubstring !== undefined && typeof filter.keySubstring !== 'string') throw new QueryError('keySubstring must be a string');
  if (filter.scope !== undefined && (typeof filter.scope !== 'number' || !Number.isInteger(filter.scope))) {
    throw new QueryError('scope must be an integer');
  }
  return filter;
}

function isEmpty(filter: KeyFilter): boolean {
  return filter.scope === undefined && !filter.keyPrefix && !filter.keySubstring;
}

/**
 * A filter as a bitset over key ids (null = every key), cached per filter: a state query then
 * counts matches with word-wide AND and popcount instead of testing strings.
 */
export class KeyFilterCache {
  private readonly cache = new Map<string, { keyCount: number; bits: Uint32Array }>();

  bits(keys: KeyTable, filter: KeyFilter): Uint32Array | null {
    if (isEmpty(filter)) return null;
    const cacheKey = JSON.stringify([filter.scope ?? null, filter.keyPrefix ?? '', filter.keySubstring ?? '']);
    const hit = this.cache.get(cacheKey);
    if (hit && hit.keyCount === keys.size) return hit.bits;
    const bits = new Uint32Array((keys.size >>> 5) + 1);
    const matches = keyMatcher(keys, filter);
    for (let id = 0; id < keys.size; id++) {
      if (matches(id)) bits[id >>> 5] |= 1 << (id & 31);
    }
    if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(cacheKey, { keyCount: keys.size, bits });
    return bits;
  }
}

/**
 * A filter as a test of key ids. Keys are compared as their UTF-8 bytes, so filtering makes no
 * key strings (they are made only for keys shown): for valid UTF-8, a string starts with or
 * contains another exactly when its bytes do. A filter string with a lone surrogate has no
 * UTF-8 form and is compared as a string.
 */
export function keyMatcher(keys: KeyTable, filter: KeyFilter): (id: number) => boolean {
  const { scope, keyPrefix = '', keySubstring = '' } = filter;
  const inScope = (id: number) => scope === undefined || keys.scopeOf(id) === scope;
  if (LONE_SURROGATE.test(keyPrefix) || LONE_SURROGATE.test(keySubstring)) {
    return (id) => inScope(id) && keys.keyOf(id).startsWith(keyPrefix) && keys.keyOf(id).includes(keySubstring);
  }
  const prefix = encoder.encode(keyPrefix);
  const part = encoder.encode(keySubstring);
  return (id) => inScope(id) && keys.keyBytesMatch(id, prefix, part);
}

const LONE_SURROGATE = /\p{Surrogate}/u;
const encoder = new TextEncoder();
