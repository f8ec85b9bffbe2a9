// Timeline index on the standard store (1,000,000 writes over 100,000 keys): build time against
// the floor of reading and inflating every file, query latencies and memory. The measurement
// runs in a child process so that its peak memory is the index's alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { standardStore } from '../standardStore';
import type { Result } from '../types';

/** The timeline module as built (what the app and jrn run): `npm run build` makes it. */
const BUILT = resolve(__dirname, '../../out/main/timeline.js');

function measure(dir: string, module?: string, label?: string): Result[] {
  const args = ['--expose-gc', '--import', 'tsx', resolve(__dirname, '../timelineMeasure.ts'), dir, ...(module ? [module, label ?? ''] : [])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as Result[];
}

/**
 * Every figure from the built engine, as it ships; the open is measured from source too, where
 * tsx makes each use of an imported binding a getter call and workers compile TypeScript.
 */
export async function run(): Promise<Result[]> {
  const dir = await standardStore();
  if (!existsSync(BUILT)) {
    console.error(`timeline: ${BUILT} is missing (npm run build): measuring the source only`);
    return measure(dir);
  }
  const built = measure(dir, BUILT, 'built');
  const source = measure(dir).filter((r) => r.name.startsWith('timeline: open + index')).map((r) => ({ ...r, target: null, met: null }));
  return [...built, ...source];
}
