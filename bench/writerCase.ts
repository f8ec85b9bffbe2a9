// One writer benchmark case in its own process, so that its peak RSS is its own:
//   node --import tsx bench/writerCase.ts <a|b|c> [spec|upstream]
// Prints one JSON line: the workload result, peak RSS and the bytes the store left on disk.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreLayout } from '../src/engine/store/layout';
import { WRITER_CASES } from './writerCases';
import { writeStandardWorkload } from './workload';

function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * CPU time of the main thread (the writer), Linux only: on a loaded machine wall time measures
 * the neighbours too; this says what the writer itself cost (compression runs on a worker).
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in ticks of 10 ms
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const spec = WRITER_CASES.find((c) => c.id === process.argv[2]);
  if (!spec) throw new Error(`unknown case ${process.argv[2]}; have ${WRITER_CASES.map((c) => c.id).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `je-bench-writer-${spec.id}-`));
  try {
    const layout = (process.argv[3] ?? spec.layout) as StoreLayout;
    const cpuBefore = mainThreadCpuMs();
    const cpuAllBefore = process.cpuUsage();
    const result = await writeStandardWorkload(dir, 'bench', { writes: spec.writes, keys: spec.keys, config: spec.config, layout });
    const cpuAfter = mainThreadCpuMs();
    const cpuAll = process.cpuUsage(cpuAllBefore);
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const mainCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const processCpuMs = (cpuAll.user + cpuAll.system) / 1000;
    console.log(JSON.stringify({ ...result, peakRssMiB, mainCpuMs, processCpuMs, diskBytes: diskBytes(dir), files: readdirSync(dir).length }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
