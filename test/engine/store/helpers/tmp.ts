import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh folder, removed after the test. */
export function tempDir(prefix = 'je-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fake clock in µs: starts at 2024-01-01 and moves only when told to. */
export class FakeClock {
  constructor(public now = 1704067200000000) {}
  readonly fn = (): number => this.now;
  advance(us: number): number {
    this.now += us;
    return this.now;
  }
}
