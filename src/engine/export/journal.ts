import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HeaderVariant } from '../format/header';
import { GIB, MIN_BUFFER_SIZE, nextPowerOfTwo } from '../store/config';
import type { StoreLayout } from '../store/layout';
import { VersionedKVStore } from '../store/store';
import type { IndexState } from '../timeline/indexState';
import { keyMatcher, type KeyFilter } from '../timeline/queries/keyFilter';
import { DELETE } from '../timeline/versionLog';
import { ExportError } from './types';

export interface JournalExportInput {
  state: IndexState;
  at: number;
  filter: KeyFilter;
  outDir: string;
  storeName: string;
  layout?: StoreLayout;
  headerVariant?: HeaderVariant;
  batch: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface JournalExportOutput {
  rows: number;
  invalid: number;
  bytes: number;
  path: string;
}

const RATIO = 0.7;

/** The layout of the source's newest readable generation. */
function sourceLayout(state: IndexState): { layout: StoreLayout; headerVariant: HeaderVariant } {
  for (let g = state.generations.length - 1; g >= 0; g--) {
    const { headerVariant, payloadLayout } = state.generations[g].layout;
    if (headerVariant === null) continue;
    return { layout: payloadLayout === 'key-value-pair' ? 'spec' : 'upstream', headerVariant };
  }
  return { layout: 'spec', headerVariant: 'v17' };
}

/**
 * A restore point: the state at T written as a new store (`NAME.jrn.0` in a new or empty
 * folder) by VersionedKVStore, each key's value with the timestamp of the write that set it.
 * Versions in force at T are found in one backwards pass over the version log (the first
 * version seen of a key is its version at T; a later same-timestamp write wins, as it does
 * for reads) and written in timestamp order, so the store's clamped clock keeps them exact.
 * The buffer is sized so that the whole state fits in one generation (up to 1 GiB).
 */
export async function exportJournal(input: JournalExportInput): Promise<JournalExportOutput> {
  const { state, at, filter, outDir, storeName } = input;
  if (!/^[^/\\\0]+$/.test(storeName) || storeName === '.' || storeName === '..') throw new ExportError(`"${storeName}" is not a usable store name`);
  let created = false;
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new ExportError(`${outDir} exists and is not a folder`);
    if (readdirSync(outDir).length > 0) throw new ExportError(`${outDir} is not empty: a journal export needs a new or empty folder`);
  } else {
    mkdirSync(outDir, { recursive: true });
    created = true;
  }

  const { log, keys } = state;
  const end = log.upperBound(at);
  const everyKey = filter.scope === undefined && !filter.keyPrefix && !filter.keySubstring;
  const matches = keyMatcher(keys, filter);
  // Backwards pass: mark each key at its first (= latest at T) version; keep the live ones.
  const seen = new Uint8Array(keys.size);
  let hits = new Uint32Array(1024);
  let n = 0;
  let estimate = 0;
  for (let i = end - 1; i >= 0; i--) {
    const id = log.key[i];
    if (seen[id]) continue;
    seen[id] = 1;
    if (log.flags[i] & DELETE) continue;
    if (!everyKey && !matches(id)) continue;
    if (n === hits.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(hits);
      hits = grown;
    }
    hits[n++] = i;
    estimate += 48 + 2 * Buffer.byteLength(keys.keyOf(id)) + log.payloadLength[i];
  }

  const source = sourceLayout(state);
  const layout = input.layout ?? source.layout;
  const headerVariant = input.headerVariant ?? (input.layout === undefined ? source.headerVariant : undefined);
  const initialBufferSize = Math.min(GIB, Math.max(MIN_BUFFER_SIZE, nextPowerOfTwo(Math.ceil((estimate + 64) / RATIO))));
  let now = 0;
  let store: VersionedKVStore | null = null;
  let invalid = 0;
  try {
    store = VersionedKVStore.open(outDir, storeName, {
      layout,
      headerVariant,
      config: { initialBufferSize, maxCapacityBytes: GIB, highWaterMarkRatio: RATIO },
      clock: () => now,
    });
    for (let done = 0; done < n; ) {
      input.signal?.throwIfAborted();
      const stop = Math.min(n, done + input.batch);
      for (; done < stop; done++) {
        const v = hits[n - 1 - done];
        const decoded = state.decodeVersion(v);
        if (!decoded.ok || decoded.value === null) {
          invalid++;
          continue;
        }
        now = log.ts[v];
        const id = log.key[v];
        const written = store.put(keys.scopeOf(id), keys.keyOf(id), decoded.value);
        if (written !== now) throw new Error(`internal: version at ${now} was written at ${written}`);
      }
      input.onProgress?.(done, n);
      // Let a cancel (or anything else waiting) in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    input.signal?.throwIfAborted();
    const path = store.activeJournalPath;
    await store.close();
    store = null;
    return { rows: n - invalid, invalid, bytes: statSync(path).size, path: outDir };
  } catch (err) {
    if (store) await store.close().catch(() => undefined);
    if (created) rmSync(outDir, { recursive: true, force: true });
    else for (const name of readdirSync(outDir)) rmSync(join(outDir, name), { recursive: true, force: true });
    throw err;
  }
}
