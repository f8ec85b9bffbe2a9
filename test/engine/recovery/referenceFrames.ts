import { basename } from 'node:path';
import { parseStoreFileName } from '../../../src/engine/files/storeFiles';
import { fixtureDir, readManifest } from '../../support/fixtures';

/** A reference store's files from its manifest, in generation order, with their frames. */
export interface ManifestFile {
  path: string;
  generation: number;
  frames: { scope: number; key: string; ts: number; value: unknown }[];
}

export function referenceFiles(scenario: string): ManifestFile[] {
  const manifest = readManifest(fixtureDir('reference-4255c9b1', scenario)) as unknown as { files: ManifestFile[] };
  return manifest.files
    .map((f) => ({ ...f, generation: parseStoreFileName(basename(f.path))!.generation! }))
    .sort((a, b) => a.generation - b.generation);
}

/** Live keys after a generation's frames: each generation starts from its compacted state. */
export function liveCountAtEnd(file: ManifestFile): number {
  const live = new Set<string>();
  for (const f of file.frames) {
    const id = `${f.scope}/${f.key}`;
    if (f.value === null) live.delete(id);
    else live.add(id);
  }
  return live.size;
}

export function lastTimestamp(file: ManifestFile): number {
  return Math.max(...file.frames.map((f) => f.ts));
}

/** Timestamp of the first new write of generation `i`: after the restated live state of i-1. */
export function firstNewWrite(files: ManifestFile[], i: number): number {
  const restated = i === 0 ? 0 : liveCountAtEnd(files[i - 1]);
  return files[i].frames[restated].ts;
}
