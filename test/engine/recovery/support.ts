import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { VersionedRecovery } from '../../../src/engine/recovery';
import type { StateRow } from '../../../src/engine/recovery';
import { manifestValue, type Manifest, type ManifestRow } from '../../support/fixtures';

/** Rows in the manifests' form: { scope, key, value: {"string": …}, ts }. */
export function manifestRows(rows: StateRow[]): ManifestRow[] {
  return rows.map((r) => ({ scope: r.scope, key: r.key, value: manifestValue(r.value), ts: r.timestamp }));
}

/**
 * A temporary copy of a fixture store without some of its files (relative paths), for tests
 * that need a folder; the fixtures themselves are never modified or copied into the project.
 */
export function copyStoreWithout(dir: string, omit: string[]): string {
  const target = mkdtempSync(join(tmpdir(), 'recovery-test-'));
  cpSync(dir, target, {
    recursive: true,
    filter: (src) => !omit.some((o) => resolve(src) === resolve(dir, o)),
  });
  return target;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The property every answer must have: where recovery says the state is fully known, it is
 * exactly the manifest's. Returns how many points were answered as known and as unknown.
 */
export function expectSoundAnswers(recovery: VersionedRecovery, manifest: Manifest, label = ''): { known: number; unknown: number; wrongUnknown: number } {
  let known = 0;
  let unknown = 0;
  let wrongUnknown = 0;
  for (const point of manifest.point_in_time) {
    const rows = manifestRows(recovery.stateAt(point.at_ts));
    if (recovery.isCompleteAt(point.at_ts)) {
      expect(rows, `${label} state at ${point.at_ts}, claimed complete`).toEqual(point.recovered);
      known++;
    } else {
      unknown++;
      if (JSON.stringify(rows) !== JSON.stringify(point.recovered)) wrongUnknown++;
    }
  }
  return { known, unknown, wrongUnknown };
}

/** The point_in_time timestamps inside [from, to) (null bounds open). */
export function pointsWithin(manifest: Manifest, from: number | null, to: number | null): number[] {
  return manifest.point_in_time.map((p) => p.at_ts).filter((t) => (from === null || t >= from) && (to === null || t < to));
}
