// The standard store of the timeline benchmarks, written once and cached: 1,000,000 writes over
// 100,000 keys with our writer (initial buffer 1 MiB, max 64 MiB, ratio 0.7). It grows its
// buffer as upstream does, so that, like a real upstream store, it has dozens of generations
// and most of its frames restate the live state.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStandardWorkload } from './workload';

export const STANDARD = { writes: 1_000_000, keys: 100_000 };

export async function standardStore(): Promise<string> {
  const dir = join(process.env.JRN_BENCH_CACHE ?? join(tmpdir(), 'journal-explorer-bench'), `standard-${STANDARD.writes}-${STANDARD.keys}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await writeStandardWorkload(dir, 'standard', {
    ...STANDARD,
    config: { initialBufferSize: 1 << 20, maxCapacityBytes: 64 << 20, highWaterMarkRatio: 0.7 },
    layout: 'upstream',
    store: { growth: 'upstream' },
  });
  writeFileSync(join(dir, 'complete'), '');
  return dir;
}
