import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { listStores, parseStoreFileName } from '../engine/files/storeFiles';
import { TimelineIndex } from '../engine/timeline';
import type { ReadOptions } from './args';
import { InputError, type CliIo } from './context';
import { Progress } from './progress';

export interface StoreTarget {
  /** The folder (for a single file: its folder). */
  dir: string;
  store: string;
  /** Set when the command line named journal files instead of a folder. */
  files?: string[];
}

/**
 * Finds the store a command works on: DIR with one store, or `--name` among several (the
 * error lists them). DIR may also be a journal file (`NAME.jrn.<N>` or an archive): then just
 * that file is read.
 */
export function resolveStore(path: string, options: ReadOptions, io: CliIo): StoreTarget {
  const target = resolve(io.cwd ?? process.cwd(), path);
  let isFile: boolean;
  try {
    const st = statSync(target);
    if (!st.isDirectory() && !st.isFile()) throw new InputError(`${path} is neither a folder nor a file`);
    isFile = st.isFile();
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `no such folder: ${path}` : `cannot read ${path}: ${(err as Error).message}`);
  }
  if (isFile) {
    const parsed = parseStoreFileName(basename(target));
    if (!parsed) throw new InputError(`${path} is not a journal file (NAME.jrn.<N>, NAME.jrn.t<T>.zz or NAME.jrn.g<G>.t<T>.zz); give the store's folder`);
    if (options.name !== undefined && options.name !== parsed.store) throw new InputError(`${path} belongs to store "${parsed.store}", not "${options.name}"`);
    return { dir: resolve(target, '..'), store: parsed.store, files: [target] };
  }
  const stores = listStores(target);
  if (options.name !== undefined) {
    if (!stores.includes(options.name)) {
      throw new InputError(`no store named "${options.name}" in ${path}${stores.length ? ` (found: ${stores.join(', ')})` : ' (it holds no journal files)'}`);
    }
    return { dir: target, store: options.name };
  }
  if (stores.length === 0) throw new InputError(`no journal store in ${path} (no NAME.jrn.<N> or NAME.jrn.*.zz files)`);
  if (stores.length > 1) {
    throw new InputError(`${path} holds ${stores.length} stores: ${stores.join(', ')}; choose one with --name NAME`);
  }
  return { dir: target, store: stores[0] };
}

/** Opens the timeline index, with progress on a terminal. */
export async function openIndex(target: StoreTarget, options: ReadOptions, io: CliIo): Promise<TimelineIndex> {
  const progress = new Progress(io, `indexing ${target.store}:`, ' generations');
  try {
    const common = {
      store: target.store,
      headerVariant: options.headerVariant,
      payloadLayout: options.payloadLayout,
      onProgress: progress.update,
      signal: io.signal,
    };
    return target.files ? await TimelineIndex.openFiles(target.files, common) : await TimelineIndex.open(target.dir, common);
  } finally {
    progress.done();
  }
}

/** resolveStore + openIndex. */
export async function openStore(path: string, options: ReadOptions, io: CliIo): Promise<TimelineIndex> {
  return openIndex(resolveStore(path, options, io), options, io);
}

/**
 * The scope of KEY: `--scope` when given; otherwise the one scope that has the key (an error
 * lists them when several do). null when no scope has it.
 */
export function scopeOfKey(index: TimelineIndex, key: string, scope: number | undefined): number | null {
  if (scope !== undefined) return scope;
  const { keys } = index.internals;
  const found = keys.scopeList().filter((s) => keys.find(s, key) !== undefined);
  if (found.length > 1) throw new InputError(`key "${key}" exists in scopes ${found.join(', ')}: choose one with --scope`);
  return found.length ? found[0] : null;
}
