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

/** Generations of a store from its files, already sorted by `compareStoreFiles`. */
export function sourcesOf(files: StoreFile[]): GenerationSource[] {
  const active = activeJournal(files);
  const unnamed = files.filter((f) => f.generation === null);
  const named = files.filter((f) => f.generation !== null);
  const byGeneration = new Map<number, StoreFile[]>();
  for (const f of named) {
    const list = byGeneration.get(f.generation!) ?? [];
    list.push(f);
    byGeneration.set(f.generation!, list);
  }
  const sources: GenerationSource[] = [];
  const firstNamed = named.length ? Math.min(...named.map((f) => f.generation!)) : unnamed.length;
  // Unnamed archives precede every numbered file; count back from the first number.
  const base = Math.max(0, firstNamed - unnamed.length);
  const certain = named.length > 0 && firstNamed === unnamed.length;
  unnamed.forEach((file, i) => {
    sources.push({ generation: base + i, inferred: true, anchored: certain, file, duplicates: [], active: false });
  });
  for (const [generation, list] of [...byGeneration].sort((a, b) => a[0] - b[0])) {
    const journal = list.find((f) => f.kind === 'journal');
    const file = journal ?? list[0];
    sources.push({
      generation,
      inferred: false,
      anchored: true,
      file,
      duplicates: list.filter((f) => f !== file),
      active: file === active,
    });
  }
  return sources;
}
