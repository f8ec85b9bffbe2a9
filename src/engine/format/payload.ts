import type * as Protobuf from 'protobufjs';
import descriptor from './state.proto.json';
import type { StateValue } from './value';

/**
 * Two payload layouts exist: the design document's `StateKeyValuePair { key, value }` and
 * upstream's bare `StateValue`. In both, a DELETE is a payload with no value set.
 */
export type PayloadLayout = 'key-value-pair' | 'state-value';

interface Codec {
  StateValueType: Protobuf.Type;
  KeyValuePairType: Protobuf.Type;
  Long: { fromBigInt(value: bigint): unknown };
}
let codec: Codec | null = null;

/**
 * protobufjs, loaded when a value is first encoded or decoded: indexing never decodes a value,
 * and loading it took 15 of the 24 ms each scan worker spent starting (and `jrn` as long).
 */
function protobufCodec(): Codec {
  if (codec) return codec;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const protobuf = require('protobufjs') as typeof Protobuf;
  const root = protobuf.Root.fromJSON(descriptor);
  codec = {
    StateValueType: root.lookupType('bitdrift_public.protobuf.state.v1.StateValue'),
    KeyValuePairType: root.lookupType('bitdrift_public.protobuf.state.v1.StateKeyValuePair'),
    // protobufjs bundles long.js, whose fromBigInt its typings do not declare.
    Long: protobuf.util.Long as unknown as Codec['Long'],
  };
  return codec;
}

interface StateValueMessage {
  valueType?: string;
  stringValue?: string;
  intValue?: { toBigInt(): bigint } | number;
  doubleValue?: number;
  boolValue?: boolean;
  bytesValue?: Uint8Array;
  listValue?: { values?: StateValueMessage[] };
  mapValue?: { entries?: Record<string, StateValueMessage> };
}

function toMessage(value: StateValue): StateValueMessage | Record<string, unknown> {
  switch (value.kind) {
    case 'string':
      return { stringValue: value.value };
    case 'int':
      return { intValue: protobufCodec().Long.fromBigInt(BigInt.asIntN(64, value.value)) };
    case 'double':
      return { doubleValue: value.value };
    case 'bool':
      return { boolValue: value.value };
    case 'bytes':
      return { bytesValue: value.value };
    case 'list':
      return { listValue: { values: value.value.map(toMessage) } };
    case 'map':
      return { mapValue: { entries: Object.fromEntries([...value.value].map(([k, v]) => [k, toMessage(v)])) } };
  }
}

function fromMessage(msg: StateValueMessage): StateValue | null {
  switch (msg.valueType) {
    case 'stringValue':
      return { kind: 'string', value: msg.stringValue ?? '' };
    case 'intValue': {
      const v = msg.intValue;
      return { kind: 'int', value: typeof v === 'number' ? BigInt(v) : v ? v.toBigInt() : 0n };
    }
    case 'doubleValue':
      return { kind: 'double', value: msg.doubleValue ?? 0 };
    case 'boolValue':
      return { kind: 'bool', value: msg.boolValue ?? false };
    case 'bytesValue':
      return { kind: 'bytes', value: msg.bytesValue ?? new Uint8Array(0) };
    case 'listValue':
      return { kind: 'list', value: (msg.listValue?.values ?? []).map((m) => fromMessage(m) ?? { kind: 'list', value: [] }) };
    case 'mapValue': {
      const map = new Map<string, StateValue>();
      for (const [k, m] of Object.entries(msg.mapValue?.entries ?? {})) {
        const v = fromMessage(m);
        if (v) map.set(k, v);
      }
      return { kind: 'map', value: map };
    }
    default:
      return null;
  }
}

/**
 * How a `StateKeyValuePair` says DELETE: the design document allows both, and real files hold
 * both, so a writer (or a byte-exact round trip) can choose. A bare `StateValue` has one form:
 * the empty payload.
 */
export type DeleteEncoding = 'omit-value' | 'empty-value';

/** Encodes a value (or a DELETE, `null`) as a frame payload. */
export function encodePayload(
  layout: PayloadLayout,
  key: string,
  value: StateValue | null,
  deleteEncoding: DeleteEncoding = 'omit-value',
): Uint8Array {
  if (layout === 'state-value') {
    return value === null ? new Uint8Array(0) : protobufCodec().StateValueType.encode(toMessage(value)).finish();
  }
  let message: { key: string; value?: StateValueMessage | Record<string, unknown> } = { key };
  if (value !== null) message = { key, value: toMessage(value) };
  else if (deleteEncoding === 'empty-value') message = { key, value: {} };
  return protobufCodec().KeyValuePairType.encode(message).finish();
}

export type PayloadDecode = { ok: true; value: StateValue | null } | { ok: false; error: string };

/** Decodes a payload; never throws: malformed protobuf comes back as an error string. */
export function decodePayload(layout: PayloadLayout, bytes: Uint8Array): PayloadDecode {
  if (bytes.length === 0) return { ok: true, value: null };
  try {
    if (layout === 'state-value') {
      return { ok: true, value: fromMessage(protobufCodec().StateValueType.decode(bytes) as StateValueMessage) };
    }
    const pair = protobufCodec().KeyValuePairType.decode(bytes) as { value?: StateValueMessage };
    return { ok: true, value: pair.value ? fromMessage(pair.value) : null };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * How a payload looks under each layout, for deciding a journal's layout from its frames:
 * a `StateKeyValuePair` starts with field 1 (tag 0x0A) holding exactly the frame's key,
 * optionally followed by field 2 (tag 0x12). Returns 'key-value-pair', 'state-value', or
 * null when this payload fits both (e.g. a bare string value equal to its own key).
 */
export function payloadLayoutHint(
  buf: Uint8Array,
  payloadStart: number,
  payloadEnd: number,
  keyStart: number,
  keyLength: number,
): PayloadLayout | null {
  const length = payloadEnd - payloadStart;
  if (length === 0) return keyLength === 0 ? null : 'state-value';
  if (buf[payloadStart] !== 0x0a) return 'state-value';
  // Field 1, length-delimited: a one-byte length covers keys up to 127 bytes, which is all
  // this hint needs; longer keys fall back to a full comparison below.
  let pos = payloadStart + 1;
  let keyLen = 0;
  let shift = 1;
  for (let i = 0; i < 5 && pos < payloadEnd; i++) {
    const b = buf[pos++];
    keyLen += (b & 0x7f) * shift;
    if (b < 0x80) break;
    shift *= 128;
  }
  if (keyLen !== keyLength || pos + keyLen > payloadEnd) return 'state-value';
  for (let i = 0; i < keyLen; i++) if (buf[pos + i] !== buf[keyStart + i]) return 'state-value';
  pos += keyLen;
  if (pos === payloadEnd) return null; // "0A len key": a pair without value, or a bare value equal to the key
  return buf[pos] === 0x12 ? 'key-value-pair' : 'state-value';
}
