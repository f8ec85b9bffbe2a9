// Helpers for the main-process tests: temporary folders, a live store written by the real
// writer, folder snapshots for the read-only checks, and waiting for events.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VersionedKVStore } from '../../src/engine/store';
import type { StateValue } from '../../src/engine/format/value';

export function tempDir(prefix = 'je-main-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export const str = (value: string): StateValue => ({ kind: 'string', value });

/** A store written by the real writer with a controllable clock (µs). */
export function liveStore(dir: string, name = 'live', buffer = 4096) {
  let now = 1_704_067_200_000_000;
  const store = VersionedKVStore.open(dir, name, {
    config: { initialBufferSize: buffer, maxCapacityBytes: buffer, highWaterMarkRatio: 0.7 },
    clock: () => (now += 1000),
  });
  return { store, name };
}

/** Names, sizes and mtimes of every file under `dir` (recursively). */
export function snapshotFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path, `${rel}${name}/`);
      else out[`${rel}${name}`] = `${st.size}:${st.mtimeMs}:${st.mode}`;
    }
  };
  walk(dir, '');
  return out;
}

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
