import { DuckDBInstance } from '@duckdb/node-api';
import { VersionedKVStore } from '../../../src/engine/store/store';
import type { StateValue } from '../../../src/engine/format/value';

import { tempDir } from '../../support/tempDir';

export { tempDir };

/** Runs a query through DuckDB and returns JSON-friendly rows (BIGINT as strings). */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

export type Write = [scope: number, key: string, value: StateValue | null, ts: number];

/**
 * A store written with explicit timestamps (null value = delete). Default layout 'upstream':
 * in the 'spec' layout a key "" makes the reader detect the wrong payload layout (proto3 omits
 * the empty key field, so the pair starts with tag 0x12) — an engine issue reported separately.
 */
export async function writeStore(writes: Write[], options: { name?: string; layout?: 'spec' | 'upstream'; initialBufferSize?: number } = {}): Promise<string> {
  const dir = tempDir('jrn-src-');
  let now = 0;
  const store = VersionedKVStore.open(dir, options.name ?? 'tricky', {
    layout: options.layout ?? 'upstream',
    clock: () => now,
    normalize: options.initialBufferSize === undefined,
    config: options.initialBufferSize ? { initialBufferSize: options.initialBufferSize, maxCapacityBytes: 1 << 20, highWaterMarkRatio: 0.5 } : undefined,
  });
  for (const [scope, key, value, ts] of writes) {
    now = ts;
    if (value === null) store.delete(scope, key);
    else store.put(scope, key, value);
  }
  await store.close();
  return dir;
}

const s = (value: string): StateValue => ({ kind: 'string', value });

/** Keys and values that test quoting and typing: commas, quotes, line breaks, empty strings, every type. */
export const TRICKY: Write[] = [
  [2, 'plain', s('v'), 1_000],
  [2, 'comma,key', s('a,b'), 1_001],
  [2, 'quote"key', s('say "hi"'), 1_002],
  [2, 'line\nbreak', s('one\r\ntwo'), 1_003],
  [2, 'empty', s(''), 1_004],
  [2, '', s('empty key'), 1_005],
  [1, 'int', { kind: 'int', value: -9223372036854775808n }, 1_006],
  [1, 'big', { kind: 'int', value: 9223372036854775807n }, 1_006],
  [1, 'double', { kind: 'double', value: 0.1 }, 1_007],
  [1, 'negzero', { kind: 'double', value: -0 }, 1_007],
  [1, 'nan', { kind: 'double', value: NaN }, 1_007],
  [1, 'inf', { kind: 'double', value: -Infinity }, 1_007],
  [1, 'bool', { kind: 'bool', value: false }, 1_008],
  [3, 'bytes', { kind: 'bytes', value: new Uint8Array([0, 255, 10, 44]) }, 1_009],
  [3, 'list', { kind: 'list', value: [s('x'), { kind: 'int', value: 1n }] }, 1_010],
  [3, 'map', { kind: 'map', value: new Map<string, StateValue>([['a', { kind: 'bool', value: true }]]) }, 1_011],
  [3, 'unicode.κλειδί 🔑', s('värde ✓'), 1_012],
  [2, 'plain', s('v2'), 1_020],
  [2, 'comma,key', null, 1_021],
  [2, 'plain', null, 1_022],
  [2, 'plain', s('back'), 1_030],
];
