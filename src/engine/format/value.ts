/**
 * A value stored under a key. `int` is a bigint so that every int64 stays exact; `double`
 * keeps NaN, ±Infinity and -0. A DELETE is not a value: the engine uses `null` for it.
 */
export type StateValue =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'double'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'list'; value: StateValue[] }
  | { kind: 'map'; value: Map<string, StateValue> };

export type ValueKind = StateValue['kind'];

export const str = (value: string): StateValue => ({ kind: 'string', value });
export const int = (value: bigint | number): StateValue => ({ kind: 'int', value: BigInt(value) });
export const double = (value: number): StateValue => ({ kind: 'double', value });
export const bool = (value: boolean): StateValue => ({ kind: 'bool', value });

/** Structural equality; doubles compare by bit pattern, so NaN equals NaN and -0 differs from 0. */
export function valuesEqual(a: StateValue | null, b: StateValue | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'double':
      return Object.is(a.value, (b as typeof a).value);
    case 'bytes':
      return Buffer.from(a.value).equals((b as typeof a).value);
    case 'list': {
      const other = (b as typeof a).value;
      return a.value.length === other.length && a.value.every((v, i) => valuesEqual(v, other[i]));
    }
    case 'map': {
      const other = (b as typeof a).value;
      if (a.value.size !== other.size) return false;
      for (const [k, v] of a.value) {
        const w = other.get(k);
        if (w === undefined || !valuesEqual(v, w)) return false;
      }
      return true;
    }
    default:
      return a.value === (b as typeof a).value;
  }
}
