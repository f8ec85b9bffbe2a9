import { join } from 'node:path';
import { parseStoreFileName, SNAPSHOTS_DIR } from '../files/storeFiles';
import type { FileLayer } from './fileLayer';
import { isTempArchiveName, type ArchiveStyle } from './layout';

/**
 * The files of one store, listed through the file layer (so tests can inject faults here too).
 * Same naming rules as `listStoreFiles` in src/engine/files, which the reader side uses.
 */
export interface ScannedJournal {
  generation: number;
  path: string;
}

export interface ScannedArchive {
  path: string;
  fileName: string;
  generation: number | null;
  t: number;
  style: ArchiveStyle;
}

export interface StoreScan {
  /** Oldest generation first. */
  journals: ScannedJournal[];
  archives: ScannedArchive[];
  /** Leftover temporary archive files (a crash while an archive was being written). */
  temps: string[];
}

export function scanStore(layer: FileLayer, dir: string, name: string): StoreScan {
  const scan: StoreScan = { journals: [], archives: [], temps: [] };
  const visit = (folder: string, inSnapshots: boolean) => {
    for (const fileName of layer.readdir(folder)) {
      const path = join(folder, fileName);
      if (isTempArchiveName(fileName, name)) {
        scan.temps.push(path);
        continue;
      }
      const parsed = parseStoreFileName(fileName);
      if (!parsed || parsed.store !== name) continue;
      if (parsed.kind === 'journal') {
        if (!inSnapshots) scan.journals.push({ generation: parsed.generation!, path });
      } else {
        scan.archives.push({
          path,
          fileName,
          generation: parsed.generation,
          t: parsed.nameTimestamp ?? 0,
          style: inSnapshots ? 'upstream' : 'spec',
        });
      }
    }
  };
  visit(dir, false);
  visit(join(dir, SNAPSHOTS_DIR), true);
  scan.journals.sort((a, b) => a.generation - b.generation);
  return scan;
}
