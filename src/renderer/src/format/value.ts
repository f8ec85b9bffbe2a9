import type { WireValue } from '../../../shared/api';

export type ValueType = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'list' | 'map' | 'deleted';

export function valueType(v: WireValue | null): ValueType {
  if (v === null) return 'deleted';
  return Object.keys(v)[0] as ValueType;
}

function decodeBase64(b64: string): Uint8Array {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array();
  }
}

function hex(bytes: Uint8Array, max: number): string {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, max); i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

/** Compact one-line text of a value (strings quoted, so an empty string is visible). */
export function inlineValue(v: WireValue): string {
  if ('string' in v) return JSON.stringify(v.string);
  if ('int' in v) return v.int;
  if ('double' in v) return typeof v.double === 'number' ? String(v.double) : v.double;
  if ('bool' in v) return String(v.bool);
  if ('bytes' in v) {
    const b = decodeBase64(v.bytes);
    return `0x${hex(b, 32)}${b.length > 32 ? '…' : ''} (${b.length} B)`;
  }
  if ('list' in v) return `[${v.list.map(inlineValue).join(', ')}]`;
  return `{${Object.entries(v.map)
    .map(([k, x]) => `${JSON.stringify(k)}: ${inlineValue(x)}`)
    .join(', ')}}`;
}

/** A one-line preview, cut to `max` characters. */
export function previewValue(v: WireValue | null, max = 120): string {
  if (v === null) return '(deleted)';
  const s = inlineValue(v).replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** If a string holds a JSON object or array, the parsed value; otherwise undefined. */
export function jsonInString(s: string): unknown {
  const t = s.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** Plain JS form of a value, for copying and pretty-printing. */
export function plainValue(v: WireValue): unknown {
  if ('string' in v) return v.string;
  if ('int' in v) return v.int;
  if ('double' in v) return v.double;
  if ('bool' in v) return v.bool;
  if ('bytes' in v) return { base64: v.bytes };
  if ('list' in v) return v.list.map(plainValue);
  return Object.fromEntries(Object.entries(v.map).map(([k, x]) => [k, plainValue(x)]));
}

export interface FullValue {
  /** What to show, possibly multi-line. */
  text: string;
  /** How it was rendered: 'json' when a string held JSON and was pretty-printed. */
  kind: 'text' | 'json' | 'structured' | 'scalar' | 'bytes';
}

/** The full value for the key detail: JSON held in strings pretty-printed. */
export function fullValue(v: WireValue): FullValue {
  if ('string' in v) {
    const parsed = jsonInString(v.string);
    if (parsed !== undefined) return { text: JSON.stringify(parsed, null, 2), kind: 'json' };
    return { text: v.string, kind: 'text' };
  }
  if ('bytes' in v) {
    const b = decodeBase64(v.bytes);
    const lines: string[] = [];
    for (let i = 0; i < b.length; i += 16) lines.push(`${i.toString(16).padStart(6, '0')}  ${hex(b.subarray(i, i + 16), 16).replace(/(..)/g, '$1 ')}`);
    return { text: `${b.length} bytes\n${lines.join('\n')}`, kind: 'bytes' };
  }
  if ('list' in v || 'map' in v) return { text: JSON.stringify(plainValue(v), null, 2), kind: 'structured' };
  return { text: inlineValue(v), kind: 'scalar' };
}

/** Text put on the clipboard: strings raw, everything else as JSON. */
export function copyText(v: WireValue): string {
  if ('string' in v) return v.string;
  if ('int' in v) return v.int;
  return JSON.stringify(plainValue(v));
}
