import type { StateValue } from './value';

/**
 * The JSON form of a value used by the CLI, the API and the fixtures' manifests:
 * {"string": "…"}, {"int": "-1"} (decimal string, exact), {"double": 0.5} ("NaN", "Infinity",
 * "-Infinity", "-0" as strings), {"bool": true}, {"bytes": "<base64>"}, {"list": [...]},
 * {"map": {...}}.
 */
export type TaggedValue =
  | { string: string }
  | { int: string }
  | { double: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { bool: boolean }
  | { bytes: string }
  | { list: TaggedValue[] }
  | { map: Record<string, TaggedValue> };

export function toTagged(value: StateValue): TaggedValue {
  switch (value.kind) {
    case 'string':
      return { string: value.value };
    case 'int':
      return { int: value.value.toString() };
    case 'double':
      return { double: jsonDouble(value.value) };
    case 'bool':
      return { bool: value.value };
    case 'bytes':
      return { bytes: Buffer.from(value.value).toString('base64') };
    case 'list':
      return { list: value.value.map(toTagged) };
    case 'map':
      return { map: Object.fromEntries([...value.value].map(([k, v]) => [k, toTagged(v)])) };
  }
}

function jsonDouble(d: number): number | 'NaN' | 'Infinity' | '-Infinity' | '-0' {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (Object.is(d, -0)) return '-0';
  return d;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses the tagged JSON form; throws an Error naming what is wrong. */
export function fromTagged(json: unknown, path = 'value'): StateValue {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${path} must be an object like {"string": "…"}, got ${JSON.stringify(json)}`);
  }
  const entries = Object.entries(json);
  if (entries.length !== 1) throw new Error(`${path} must have exactly one of string, int, double, bool, bytes, list, map`);
  const [kind, v] = entries[0];
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new Error(`${path}.string must be a string`);
      return { kind: 'string', value: v };
    case 'int': {
      const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
      if (typeof text !== 'string' || !/^-?\d+$/.test(text)) throw new Error(`${path}.int must be a decimal integer string`);
      const n = BigInt(text);
      if (n < INT64_MIN || n > INT64_MAX) throw new Error(`${path}.int is outside the int64 range`);
      return { kind: 'int', value: n };
    }
    case 'double': {
      const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
      if (typeof v === 'number') return { kind: 'double', value: v };
      if (typeof v === 'string' && v in special) return { kind: 'double', value: special[v] };
      throw new Error(`${path}.double must be a number or "NaN", "Infinity", "-Infinity", "-0"`);
    }
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`${path}.bool must be true or false`);
      return { kind: 'bool', value: v };
    case 'bytes':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new Error(`${path}.bytes must be base64`);
      return { kind: 'bytes', value: new Uint8Array(Buffer.from(v, 'base64')) };
    case 'list':
      if (!Array.isArray(v)) throw new Error(`${path}.list must be an array`);
      return { kind: 'list', value: v.map((item, i) => fromTagged(item, `${path}.list[${i}]`)) };
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${path}.map must be an object`);
      return { kind: 'map', value: new Map(Object.entries(v).map(([k, item]) => [k, fromTagged(item, `${path}.map.${k}`)])) };
    }
    default:
      throw new Error(`${path} has unknown type "${kind}" (expected string, int, double, bool, bytes, list or map)`);
  }
}
