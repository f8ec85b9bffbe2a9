import { join } from 'node:path';
import { SNAPSHOTS_DIR } from '../files/storeFiles';
import { HEADER_SIZE, type HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';

/**
 * The two layouts the writer writes (see format-notes "Three layouts a reader meets"):
 * - 'spec' (the design document): 17-byte header, `StateKeyValuePair` payload, archives
 *   `NAME.jrn.t<T>.zz` beside the journal, T = the archived journal's most recent entry;
 * - 'upstream' (current upstream): 9-byte header, bare `StateValue` payload, archives
 *   `snapshots/NAME.jrn.g<G>.t<T>.zz`, T = largest timestamp among the live keys (0 if none).
 * Upstream at commit 4255c9b1 is 'upstream' with the 17-byte header (`headerVariant: 'v17'`).
 */
export type StoreLayout = 'spec' | 'upstream';
export type ArchiveStyle = 'spec' | 'upstream';

export interface StoreFormat {
  headerVariant: HeaderVariant;
  payloadLayout: PayloadLayout;
  archiveStyle: ArchiveStyle;
}

export function formatFor(layout: StoreLayout, headerVariant?: HeaderVariant): StoreFormat {
  return layout === 'spec'
    ? { headerVariant: headerVariant ?? 'v17', payloadLayout: 'key-value-pair', archiveStyle: 'spec' }
    : { headerVariant: headerVariant ?? 'v9', payloadLayout: 'state-value', archiveStyle: 'upstream' };
}

export function headerSize(format: StoreFormat): number {
  return HEADER_SIZE[format.headerVariant];
}

export const journalFileName = (name: string, generation: number): string => `${name}.jrn.${generation}`;

/** Folder that holds archives in this style. */
export function archiveDir(dir: string, style: ArchiveStyle): string {
  return style === 'upstream' ? join(dir, SNAPSHOTS_DIR) : dir;
}

/**
 * Candidate archive paths, preferred first. Spec: `NAME.jrn.t<T>.zz`, and on a clash
 * `NAME.jrn.g<G>.t<T>.zz` (never overwrite). Upstream: `snapshots/NAME.jrn.g<G>.t<T>.zz`.
 */
export function archivePaths(dir: string, name: string, style: ArchiveStyle, generation: number, t: number): string[] {
  const withGeneration = `${name}.jrn.g${generation}.t${t}.zz`;
  if (style === 'upstream') return [join(dir, SNAPSHOTS_DIR, withGeneration)];
  return [join(dir, `${name}.jrn.t${t}.zz`), join(dir, withGeneration)];
}

/** Archives are written under a temporary name and renamed, so a final name is always whole. */
export const TEMP_SUFFIX = '.tmp';

export function isTempArchiveName(fileName: string, storeName: string): boolean {
  return fileName.startsWith(`${storeName}.jrn.`) && fileName.endsWith(`.zz${TEMP_SUFFIX}`);
}
