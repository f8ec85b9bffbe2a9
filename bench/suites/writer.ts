// Writer throughput, end to end: the standard workload (bench/workload.ts) written through
// VersionedKVStore, the clock stopping once close() resolves (every archive compressed and
// written). Each case runs in its own process so its peak RSS is its own. Also measured: the
// floor set by the two positional writes every acknowledged put needs (frame, then header
// position), so the figures can be read as a ratio on a noisy machine.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { result, type Result } from '../types';
import { WRITER_CASES } from '../writerCases';

interface CaseOutput {
  writes: number;
  writesPerSecond: number;
  mainCpuMs: number | null;
  processCpuMs: number;
  elapsedMs: number;
  rotations: number;
  bufferSize: number;
  peakRssMiB: number;
  diskBytes: number;
}

/** Rate of (57-byte frame write + 8-byte header write) pairs into a fresh sparse 1 MiB file. */
export function syscallFloor(pairs = 300_000): number {
  const dir = mkdtempSync(join(tmpdir(), 'je-bench-floor-'));
  try {
    const fd = openSync(join(dir, 'f'), 'w+');
    ftruncateSync(fd, 1 << 20);
    const buf = Buffer.alloc(1 << 20);
    const start = process.hrtime.bigint();
    let pos = 17;
    for (let i = 0; i < pairs; i++) {
      if (pos + 57 > 734_000) pos = 17;
      writeSync(fd, buf, pos, 57, pos);
      pos += 57;
      writeSync(fd, buf, 8, 8, 8);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    closeSync(fd);
    return Math.round(pairs / seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runCase(id: string, layout: string): CaseOutput {
  const out = spawnSync(process.execPath, [...process.execArgv, join(__dirname, '..', 'writerCase.ts'), id, layout], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`writer case ${id} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as CaseOutput;
}

export async function run(): Promise<Result[]> {
  const floor = syscallFloor();
  const results: Result[] = [result('writer: floor, 2 pwrite per put', floor, 'puts/s')];
  for (const layout of ['spec', 'upstream']) {
    for (const c of WRITER_CASES) {
      const r = runCase(c.id, layout);
      const name = `writer ${c.id} [${layout}] ${c.label}`;
      // Targets are for the default layout; the upstream layout is informational.
      results.push(result(`${name}: end to end`, r.writesPerSecond, 'writes/s', layout === 'spec' ? { op: '>=', value: c.target } : null));
      results.push(result(`${name}: of floor`, Math.round((r.writesPerSecond / floor) * 100) / 100, 'x'));
      // What the writer thread itself sustains (its CPU time only; compression has its own core):
      // the figure that stays meaningful when other processes load the machine.
      if (r.mainCpuMs) results.push(result(`${name}: per writer-thread CPU second`, Math.round(r.writes / (r.mainCpuMs / 1000)), 'writes/s'));
      results.push(result(`${name}: process CPU (all threads)`, Math.round(r.processCpuMs), 'ms'));
      results.push(result(`${name}: peak RSS`, Math.round(r.peakRssMiB), 'MiB'));
      results.push(result(`${name}: rotations`, r.rotations, `(final buffer ${r.bufferSize / 1048576} MiB, ${Math.round(r.diskBytes / 1048576)} MiB on disk)`));
    }
  }
  return results;
}
