import { compareStoreFiles, type StoreFile } from '../files/storeFiles';
import type { FileLayer } from './fileLayer';
import type { ScannedArchive } from './storeScan';

/** Optional limits on archives, applied after each archive is written. Default: keep all. */
export interface RetentionPolicy {
  /** Keep at most this many archives (the newest). */
  maxArchives?: number;
  /** Delete archives whose T (from the name) is older than now − maxAgeMicros. */
  maxAgeMicros?: number;
}

/** Archives to delete under `policy`, given every archive of the store and the clock's now (µs). */
export function archivesToDelete(archives: ScannedArchive[], policy: RetentionPolicy, now: number): ScannedArchive[] {
  const ordered = [...archives].sort((a, b) => compareStoreFiles(asStoreFile(a), asStoreFile(b)));
  const doomed = new Set<ScannedArchive>();
  if (policy.maxArchives !== undefined && policy.maxArchives >= 0 && ordered.length > policy.maxArchives) {
    for (const a of ordered.slice(0, ordered.length - policy.maxArchives)) doomed.add(a);
  }
  if (policy.maxAgeMicros !== undefined) {
    for (const a of ordered) if (a.t < now - policy.maxAgeMicros) doomed.add(a);
  }
  return ordered.filter((a) => doomed.has(a));
}

function asStoreFile(a: ScannedArchive): StoreFile {
  return {
    path: a.path,
    relativePath: a.style === 'upstream' ? `snapshots/${a.fileName}` : a.fileName,
    store: '',
    kind: 'archive',
    generation: a.generation,
    nameTimestamp: a.t,
    inSnapshots: a.style === 'upstream',
    size: 0,
  };
}

export function applyRetention(
  layer: FileLayer,
  archives: ScannedArchive[],
  policy: RetentionPolicy,
  now: number,
  onDeleted: (path: string) => void,
): void {
  for (const a of archivesToDelete(archives, policy, now)) {
    layer.unlink(a.path);
    onDeleted(a.path);
  }
}
