// Timeline index on the standard store (1,000,000 writes over 100,000 keys): build time against
// the floor of reading and inflating every file, query latencies and memory. The measurement
// runs in a child process so that its peak memory is the index's alone.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { standardStore } from '../standardStore';
import type { Result } from '../types';

export async function run(): Promise<Result[]> {
  const dir = await standardStore();
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(__dirname, '../timelineMeasure.ts'), dir], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as Result[];
}
