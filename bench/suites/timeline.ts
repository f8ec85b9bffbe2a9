// Timeline index on the standard store (1,000,000 writes over 100,000 keys): build time against
// the floor of reading and inflating every file, query latencies and memory. The measurement
// runs in a child process so that its peak memory is the index's alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { standardStore } from '../standardStore';
import { result, type Result } from '../types';

/** The timeline module as built (what the app and jrn run): `npm run build` makes it. */
const BUILT = resolve(__dirname, '../../out/main/timeline.js');

/**
 * Fresh processes the open is measured in, each with its own floor just before. This machine's
 * timings drift by 5-10% between minutes, and the open, which keeps both cores busy, suffers
 * more than the single-threaded floor when the shared host is busy: one sample can land
 * anywhere in that spread, so the ratio's median and range are reported.
 */
const OPEN_RUNS = Number(process.env.JRN_BENCH_OPEN_RUNS ?? 5);

function measure(dir: string, module?: string, label?: string, openOnly = false): Result[] {
  const args = ['--expose-gc', '--import', 'tsx', resolve(__dirname, '../timelineMeasure.ts'), dir, ...(module ? [module, label ?? '', ...(openOnly ? ['open-only'] : [])] : [])];
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
  return [...built, ...openRuns(dir, built), ...source];
}

/** The first run's floor and open plus OPEN_RUNS - 1 more, each in a fresh process. */
function openRuns(dir: string, first: Result[]): Result[] {
  const pick = (results: Result[], prefix: string) => results.find((r) => r.name.startsWith(prefix))!.value;
  const runs = [{ floor: pick(first, 'timeline: floor (read'), open: pick(first, 'timeline: open + index (built)') }];
  for (let i = 1; i < OPEN_RUNS; i++) {
    const results = measure(dir, BUILT, 'built', true);
    runs.push({ floor: pick(results, 'floor'), open: pick(results, 'open') });
  }
  const ratios = runs.map((r) => r.open / r.floor).sort((a, b) => a - b);
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const n = runs.length;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return [
    result(`timeline: floor, median of ${n} processes`, Math.round(median(runs.map((r) => r.floor))), 'ms'),
    result(`timeline: open + index (built), median of ${n} processes`, Math.round(median(runs.map((r) => r.open))), 'ms'),
    result(`timeline: open + index / floor (built), median of ${n} processes`, r2(median(ratios)), 'x', { op: '<=', value: 2 }),
    result(`timeline: open + index / floor (built), lowest of ${n}`, r2(ratios[0]), 'x'),
    result(`timeline: open + index / floor (built), highest of ${n}`, r2(ratios[n - 1]), 'x'),
  ];
}
