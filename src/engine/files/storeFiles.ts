import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The files of a store NAME in a folder, in every layout a reader meets:
 *   NAME.jrn.<G>                      a journal of generation G (the largest G is active;
 *                                     smaller ones are old generations not yet archived)
 *   NAME.jrn.t<T>.zz                  an archive beside the journal (design document)
 *   NAME.jrn.g<G>.t<T>.zz             an archive with its generation (on a name clash, or
 *   snapshots/NAME.jrn.g<G>.t<T>.zz   upstream's layout)
 * Several stores can share a folder. Anything else is ignored.
 */
export type StoreFileKind = 'journal' | 'archive';

export interface StoreFile {
  path: string;
  /** File name relative to the store folder (e.g. `snapshots/a.jrn.g0.t5.zz`). */
  relativePath: string;
  store: string;
  kind: StoreFileKind;
  /** From the name; null for a `NAME.jrn.t<T>.zz` archive, which does not carry it. */
  generation: number | null;
  /** The `t<T>` of an archive name; its meaning depends on the writer (see format notes). */
  nameTimestamp: number | null;
  inSnapshots: boolean;
  size: number;
}

const JOURNAL = /^(.+)\.jrn\.(\d+)$/;
const ARCHIVE_WITH_GENERATION = /^(.+)\.jrn\.g(\d+)\.t(\d+)\.zz$/;
const ARCHIVE = /^(.+)\.jrn\.t(\d+)\.zz$/;

export const SNAPSHOTS_DIR = 'snapshots';

export function parseStoreFileName(
  name: string,
): Pick<StoreFile, 'store' | 'kind' | 'generation' | 'nameTimestamp'> | null {
  let m = JOURNAL.exec(name);
  if (m) return { store: m[1], kind: 'journal', generation: Number(m[2]), nameTimestamp: null };
  m = ARCHIVE_WITH_GENERATION.exec(name);
  if (m) return { store: m[1], kind: 'archive', generation: Number(m[2]), nameTimestamp: Number(m[3]) };
  m = ARCHIVE.exec(name);
  if (m) return { store: m[1], kind: 'archive', generation: null, nameTimestamp: Number(m[2]) };
  return null;
}

/** Errors that say a path is not there (or not a folder): nothing to list, not a failure. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);
/** Errors that pass: out of file descriptors, interrupted. Worth another try, not an answer. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EINTR', 'EBUSY']);
const TRANSIENT_TRIES = 20;

/**
 * Runs `op`, retrying transient errors a few times (10 ms apart). A folder that cannot be read
 * must never pass for an empty one: its archives would silently vanish from the history.
 */
function withRetries<T>(op: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return op();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!TRANSIENT.has(code) || attempt >= TRANSIENT_TRIES) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function listDir(dir: string): string[] {
  try {
    return withRetries(() => readdirSync(dir));
  } catch (err) {
    if (ABSENT.has((err as NodeJS.ErrnoException).code ?? '')) return [];
    throw new Error(`cannot list ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A writer archiving a journal renames the archive into place and then deletes the journal.
 * A listing taken meanwhile can miss both names: readdir of a big folder takes several
 * getdents calls, so the new name may land where the listing has already been and the old one
 * be gone before it gets there (ext4, from about a thousand files); or a listed file may be
 * gone by its stat. Either would make a generation seem missing. So names count only when two
 * listings in a row agree (both then saw the folder as it was between them), and a file gone
 * by its stat means listing again. Should a writer never let that settle, the last listing is
 * completed with the archives that appeared since: a journal gone by its stat was archived
 * first.
 */
function scan(dir: string): StoreFile[] {
  // Stats taken during this scan: a retry only stats the names it has not seen yet.
  const statted = new Map<string, StoreFile | null>();
  let names = storeFileNames(dir);
  for (let attempt = 1; attempt < 25; attempt++) {
    const again = storeFileNames(dir);
    if (again.join('/') !== names.join('/')) {
      names = again;
      continue;
    }
    const { files, vanished } = statFiles(dir, names, statted);
    if (!vanished) return files;
    for (const [name, file] of statted) if (file === null) statted.delete(name);
    names = storeFileNames(dir);
  }
  const { files } = statFiles(dir, names, statted);
  const listed = new Set(names);
  const appeared = storeFileNames(dir).filter((n) => !listed.has(n) && parseStoreFileName(basename(n))!.kind === 'archive');
  return [...files, ...statFiles(dir, appeared, statted).files];
}

/** Names that parse as store files, in the folder and its snapshots/ (as relative paths). */
function storeFileNames(dir: string): string[] {
  const names = listDir(dir).filter((name) => parseStoreFileName(name));
  for (const name of listDir(join(dir, SNAPSHOTS_DIR))) if (parseStoreFileName(name)) names.push(join(SNAPSHOTS_DIR, name));
  return names;
}

function statFiles(dir: string, relativePaths: string[], statted: Map<string, StoreFile | null>): { files: StoreFile[]; vanished: boolean } {
  const files: StoreFile[] = [];
  let vanished = false;
  for (const relativePath of relativePaths) {
    let file = statted.get(relativePath);
    if (file === undefined) {
      file = statFile(dir, relativePath);
      statted.set(relativePath, file);
    }
    if (file === null) vanished = true; // between readdir and stat (a writer rotating): not a file of the store now
    else if (file.size >= 0) files.push(file);
  }
  return { files, vanished };
}

/**
 * The file, null when it is gone, or a size of -1 when it is not a regular file (skipped). A
 * file that is there but cannot be stat'ed (no permission) is kept with size 0: reading it
 * reports it, and its generation counts as lost rather than as never there.
 */
function statFile(dir: string, relativePath: string): StoreFile | null {
  const name = basename(relativePath);
  const path = join(dir, relativePath);
  const file = { ...parseStoreFileName(name)!, path, relativePath, inSnapshots: relativePath !== name };
  try {
    const st = withRetries(() => statSync(path));
    return { ...file, size: st.isFile() ? st.size : -1 };
  } catch (err) {
    return ABSENT.has((err as NodeJS.ErrnoException).code ?? '') ? null : { ...file, size: 0 };
  }
}

/**
 * Describes explicitly named files (e.g. from a command line), as if found in a folder. A path
 * that cannot be stat'ed (gone, no permission) is kept with size 0: reading it reports it
 * (`unreadable-file`), and its generation counts as lost rather than as never there.
 */
export function describeFiles(paths: string[]): StoreFile[] {
  const files: StoreFile[] = [];
  for (const path of paths) {
    const name = basename(path);
    const parsed = parseStoreFileName(name);
    if (!parsed) throw new Error(`${path}: not a journal file name (NAME.jrn.<N>, NAME.jrn.t<T>.zz or NAME.jrn.g<G>.t<T>.zz)`);
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // reported when read
    }
    const inSnapshots = basename(dirname(path)) === SNAPSHOTS_DIR;
    files.push({ ...parsed, path, relativePath: inSnapshots ? join(SNAPSHOTS_DIR, name) : name, inSnapshots, size });
  }
  return files.sort(compareStoreFiles);
}

/** Names of the stores in a folder, sorted. */
export function listStores(dir: string): string[] {
  return [...new Set(scan(dir).map((f) => f.store))].sort();
}

/**
 * The files of one store, oldest generation first. Journals and generation-named archives sort
 * by generation, never by the `t` in the name (upstream writes `t0` for an empty state). A
 * `NAME.jrn.t<T>.zz` archive has no generation in its name; its T is its last write, which only
 * grows from one generation to the next, so such archives sort by T among themselves and before
 * every journal.
 */
export function listStoreFiles(dir: string, store: string): StoreFile[] {
  const files = scan(dir).filter((f) => f.store === store);
  return files.sort(compareStoreFiles);
}

export function compareStoreFiles(a: StoreFile, b: StoreFile): number {
  if (a.generation !== null && b.generation !== null) {
    if (a.generation !== b.generation) return a.generation - b.generation;
    // Same generation as archive and as journal: the journal is a leftover of a crash mid-compression.
    if (a.kind !== b.kind) return a.kind === 'archive' ? -1 : 1;
    return a.relativePath < b.relativePath ? -1 : 1;
  }
  if (a.generation === null && b.generation === null) {
    return (a.nameTimestamp ?? 0) - (b.nameTimestamp ?? 0) || (a.relativePath < b.relativePath ? -1 : 1);
  }
  // An archive without generation against a generation-named file: archives precede journals;
  // against a generation-named archive, fall back to the name timestamps.
  const unnamed = a.generation === null ? a : b;
  const named = a.generation === null ? b : a;
  let order: number;
  if (named.kind === 'journal') order = -1;
  else order = (unnamed.nameTimestamp ?? 0) <= (named.nameTimestamp ?? 0) ? -1 : 1;
  return a === unnamed ? order : -order;
}

/** The active journal: the journal with the largest generation, or null. */
export function activeJournal(files: StoreFile[]): StoreFile | null {
  let best: StoreFile | null = null;
  for (const f of files) if (f.kind === 'journal' && (best === null || f.generation! > best.generation!)) best = f;
  return best;
}
