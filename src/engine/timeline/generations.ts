import { activeJournal, listStoreFiles, type StoreFile } from '../files/storeFiles';

/**
 * The generations of a store as the index sees them: one entry per generation, ordered, with
 * the file that holds it. An uncompressed journal wins over an archive of the same generation
 * (a crash between compressing and deleting leaves both; the journal needs no inflating).
 * `NAME.jrn.t<T>.zz` archives carry no generation; they get numbers counted back from the
 * first numbered generation, marked as inferred.
 */
export interface GenerationSource {
  generation: number;
  inferred: boolean;
  /**
   * Whether the number is certain. Inferred numbers are certain only when the unnamed archives
   * exactly fill the generations before the first numbered file (none can be missing); if any
   * are missing, nothing says where, so no two inferred neighbours are known to be adjacent.
   */
  anchored: boolean;
  file: StoreFile;
  /** Other files of the same generation (ignored duplicates). */
  duplicates: StoreFile[];
  active: boolean;
}

export function generationSources(dir: string, store: string): GenerationSource[] {
  return sourcesOf(listStoreFiles(dir, store));
}

/**
 * Generations of a store from its files. Numbered files sort by number. A `NAME.jrn.t<T>.zz`
 * archive goes before the first numbered archive whose T is not smaller (T is the most recent
 * write at rotation, which only grows from generation to generation as our writer names them;
 * on equal T the unnumbered one was written first, since the writer numbers the second of a
 * clash) and before every journal. A writer that named a restating-only generation by its own
 * frames could break that order: the restated prefixes then do not chain, and the index says
 * history is incomplete there rather than answer wrongly.
 * A run of k unnumbered archives between numbered generations P and N gets P+1 … N-1 when
 * k = N - P - 1 exactly (certain); otherwise the numbers are only a guess (not anchored).
 */
export function sourcesOf(files: StoreFile[]): GenerationSource[] {
  const active = activeJournal(files);
  const byGeneration = new Map<number, StoreFile[]>();
  for (const f of files) {
    if (f.generation === null) continue;
    const list = byGeneration.get(f.generation) ?? [];
    list.push(f);
    byGeneration.set(f.generation, list);
  }
  const named: GenerationSource[] = [...byGeneration]
    .sort((a, b) => a[0] - b[0])
    .map(([generation, list]) => {
      const file = list.find((f) => f.kind === 'journal') ?? list[0];
      return { generation, inferred: false, anchored: true, file, duplicates: list.filter((f) => f !== file), active: file === active };
    });
  const unnamed = files
    .filter((f) => f.generation === null)
    .sort((a, b) => (a.nameTimestamp ?? 0) - (b.nameTimestamp ?? 0) || (a.relativePath < b.relativePath ? -1 : 1));

  // Unnumbered archives fill the generation numbers no numbered file takes, oldest T first.
  // When they fill them exactly, every number is certain.
  const taken = new Set(named.map((n) => n.generation));
  const top = named.length ? named[named.length - 1].generation : unnamed.length;
  const free: number[] = [];
  for (let g = 0; g < top; g++) if (!taken.has(g)) free.push(g);
  if (unnamed.length === free.length) {
    const filled: GenerationSource[] = unnamed.map((file, i) => ({ generation: free[i], inferred: true, anchored: named.length > 0, file, duplicates: [], active: false }));
    return [...filled, ...named].sort((x, y) => x.generation - y.generation);
  }

  // Otherwise some are missing (or one is listed twice, mid-archiving): place them by T among
  // the numbered ones. Runs[i] holds the unnamed archives that go just before named[i].
  const runs: StoreFile[][] = Array.from({ length: named.length + 1 }, () => []);
  for (const archive of unnamed) {
    const at = named.findIndex((n) => n.file.kind === 'journal' || (n.file.nameTimestamp ?? 0) >= (archive.nameTimestamp ?? 0));
    runs[at < 0 ? named.length : at].push(archive);
  }
  const sources: GenerationSource[] = [];
  for (let i = 0; i <= named.length; i++) {
    const run = runs[i];
    const before = i > 0 ? named[i - 1].generation : -1;
    const next = i < named.length ? named[i].generation : null;
    // A writer archiving generation G renames NAME.jrn.t<T>.zz into place, then deletes
    // NAME.jrn.G: a listing in between sees both. One archive more than the numbers leave
    // room for, just before an old journal, is that journal's own archive.
    const journal = i < named.length && named[i].file.kind === 'journal' && !named[i].active ? named[i] : null;
    if (journal && next !== null && run.length === next - before) journal.duplicates.push(run.pop()!);
    const certain = next !== null && next - before - 1 === run.length;
    const base = next !== null ? Math.max(before + 1, next - run.length) : before + 1;
    run.forEach((file, j) => {
      sources.push({ generation: base + j, inferred: true, anchored: certain, file, duplicates: [], active: false });
    });
    if (i < named.length) sources.push(named[i]);
  }
  return sources;
}
