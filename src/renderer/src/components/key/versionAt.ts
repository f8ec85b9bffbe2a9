import type { VersionRow } from '../../api/types';

/** The version (value or tombstone) in force at t: the last with validFrom <= t. */
export function versionAt(versions: VersionRow[], t: number): VersionRow | null {
  let lo = 0;
  let hi = versions.length - 1;
  let found: VersionRow | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid].validFrom <= t) {
      found = versions[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
