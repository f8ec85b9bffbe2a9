// The standard write workload, deterministic for a given seed: N writes over K keys (90% of
// the keys in scope 2 = GlobalState, the rest in scope 1), 1 ms apart; 3% of the writes are
// deletes, the others set values: 60% short strings, 25% ints, 10% doubles, 5% bools.
// Used by the writer benchmark and reusable wherever a realistic store is needed.
import { prng } from '../src/main/demo/prng';
import type { StateValue } from '../src/engine/format/value';
import type { PersistentStoreConfig } from '../src/engine/store/config';
import type { StoreLayout } from '../src/engine/store/layout';
import { VersionedKVStore, type StoreOptions } from '../src/engine/store/store';

export interface WorkloadOptions {
  writes: number;
  keys: number;
  config: Partial<PersistentStoreConfig>;
  layout?: StoreLayout;
  seed?: number;
  /** First timestamp (µs); default 2024-01-01T00:00:00Z. */
  startMicros?: number;
  /** Clock step per write (µs); default 1000 (1 ms). */
  stepMicros?: number;
  /** Further store options (fsync policy, growth, ...). */
  store?: Omit<StoreOptions, 'config' | 'layout' | 'clock'>;
}

export interface WorkloadResult {
  writes: number;
  /** Deletes that wrote a frame (a delete of a key that is not live writes nothing). */
  deletesWritten: number;
  rotations: number;
  generation: number;
  bufferSize: number;
  liveKeys: number;
  lastTimestamp: number;
  /** Wall time from open to the end of close() (every archive written). */
  elapsedMs: number;
  writesPerSecond: number;
}

export { prng };

const POOL = 4096;

/** Keys, their scopes and pools of values, built once so generating a write costs little. */
export function workloadData(keys: number, seed: number) {
  const rand = prng(seed ^ 0x5eed);
  const names = Array.from({ length: keys }, (_, i) => `state.key_${i.toString(36).padStart(4, '0')}`);
  const scopes = Uint8Array.from({ length: keys }, () => (rand() < 0.9 ? 2 : 1));
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_';
  const strings: StateValue[] = Array.from({ length: POOL }, () => {
    const n = 3 + Math.floor(rand() * 14);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return { kind: 'string', value: s };
  });
  const ints: StateValue[] = Array.from({ length: POOL }, () => ({ kind: 'int', value: BigInt(Math.floor((rand() - 0.1) * 2_000_000)) }));
  const doubles: StateValue[] = Array.from({ length: POOL }, () => ({ kind: 'double', value: Math.round(rand() * 1e6) / 1e3 }));
  const bools: StateValue[] = [
    { kind: 'bool', value: true },
    { kind: 'bool', value: false },
  ];
  return { names, scopes, strings, ints, doubles, bools };
}

/** Writes the standard workload into a new store NAME in `dir` and closes it. */
export async function writeStandardWorkload(dir: string, name: string, options: WorkloadOptions): Promise<WorkloadResult> {
  const seed = options.seed ?? 42;
  const { names, scopes, strings, ints, doubles, bools } = workloadData(options.keys, seed);
  const rand = prng(seed);
  const step = options.stepMicros ?? 1000;
  let now = (options.startMicros ?? 1704067200000000) - step;
  let rotations = 0;
  const userOnEvent = options.store?.onEvent;
  const started = process.hrtime.bigint();
  const store = VersionedKVStore.open(dir, name, {
    ...options.store,
    config: options.config,
    layout: options.layout ?? 'spec',
    clock: () => now,
    onEvent: (e) => {
      if (e.type === 'rotated') rotations++;
      userOnEvent?.(e);
    },
  });
  let deletesWritten = 0;
  const k = options.keys;
  for (let i = 0; i < options.writes; i++) {
    now += step;
    const key = Math.floor(rand() * k);
    const roll = rand();
    if (roll < 0.03) {
      if (store.delete(scopes[key], names[key]) !== null) deletesWritten++;
      continue;
    }
    const kind = (roll - 0.03) / 0.97;
    const pick = Math.floor(rand() * POOL);
    const value = kind < 0.6 ? strings[pick] : kind < 0.85 ? ints[pick] : kind < 0.95 ? doubles[pick] : bools[pick & 1];
    store.put(scopes[key], names[key], value);
  }
  const result = {
    writes: options.writes,
    deletesWritten,
    rotations,
    generation: store.generation,
    bufferSize: store.bufferSize,
    liveKeys: store.size,
    lastTimestamp: store.lastTimestamp,
  };
  await store.close();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...result, elapsedMs, writesPerSecond: Math.round(options.writes / (elapsedMs / 1000)) };
}
