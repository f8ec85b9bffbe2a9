import { toTagged } from '../format/taggedJson';
import type { StateValue } from '../format/value';

const KINDS = new Set(['string', 'int', 'double', 'bool', 'bytes', 'list', 'map']);

function isStateValue(x: object): x is StateValue {
  const keys = Object.keys(x);
  return keys.length === 2 && 'kind' in x && 'value' in x && KINDS.has((x as { kind: string }).kind);
}

/**
 * A query answer in plain JSON: every value in the tagged form ({"int": "-1"} …), so results
 * can cross IPC, HTTP and stdout exactly. Used by the CLI and the API alike.
 */
export function toJson<T>(result: T): unknown {
  if (result === null || typeof result !== 'object') return result;
  if (Array.isArray(result)) return result.map(toJson);
  if (isStateValue(result)) return toTagged(result);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) if (v !== undefined) out[k] = toJson(v);
  return out;
}
