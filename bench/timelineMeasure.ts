// Measures the timeline index on the standard store, in a process of its own so that its
// peak memory is the index's alone. Prints one JSON list of results on stdout.
//
// argv: DIR [MODULE [LABEL [open-only]]]. MODULE is the timeline module to measure: the built
// one (out/main/timeline.js, what the app and jrn run) or, by default, the source through tsx.
// `open-only` measures the floor and the open alone (no queries): the suite repeats that in
// fresh processes to report the ratio's median and spread.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import type * as Timeline from '../src/engine/timeline';
import type { TimelineIndex } from '../src/engine/timeline';
import { inflateChunkSize } from '../src/engine/files/inflate';
import { result, type Result } from './types';

const moduleArg = process.argv[3];
const label = process.argv[4] || 'source';
const openOnly = process.argv[5] === 'open-only';

/** Only the module measured is loaded: the other would count in the process's memory. */
async function loadTimeline(): Promise<typeof Timeline> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return moduleArg ? (require(moduleArg) as typeof Timeline) : await import('../src/engine/timeline');
}
import { prng } from './workload';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.includes('.jrn.')) out.push(path);
  }
  return out;
}

/**
 * The floor: read every file, inflate the archives, CRC-32 over all bytes. Inflated as the
 * engine does it, in one chunk about the size of the journal: with zlib's default 16 KiB
 * chunks (`defaultChunks`) inflating takes about 20% longer, and the floor would flatter us.
 */
function floorMs(dir: string, defaultChunks = false): { ms: number; bytes: number } {
  const start = performance.now();
  let bytes = 0;
  for (const path of files(dir)) {
    const raw = readFileSync(path);
    const data = path.endsWith('.zz') ? inflateSync(raw, defaultChunks ? {} : { chunkSize: inflateChunkSize(raw.length) }) : raw;
    crc32(data);
    bytes += data.length;
  }
  return { ms: performance.now() - start, bytes };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const { TimelineIndex } = await loadTimeline();
  const floorDefaultChunks = floorMs(dir, true);
  const floor = floorMs(dir);
  gc();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const index = await TimelineIndex.open(dir);
  const buildMs = performance.now() - start;
  clearInterval(sampler);
  if (openOnly) {
    process.stdout.write(JSON.stringify([result('floor', floor.ms, 'ms'), result('open', buildMs, 'ms')]));
    return;
  }
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const summary = index.summary();
  const frames = summary.generations.reduce((n, g) => n + g.frames, 0);
  const first = summary.firstTimestamp!;
  const last = summary.lastTimestamp!;
  const span = last - first;
  const rnd = prng(7);
  const randomT = () => first + Math.floor(rnd() * span);
  const keys = sampleKeys(index, 5000, rnd);

  // Warm up the lazily built structures (sorted key order, per-key chains).
  index.stateAt(first, { limit: 100 });

  const stateRandom: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = randomT();
    const s = performance.now();
    index.stateAt(t, { limit: 100 });
    stateRandom.push(performance.now() - s);
  }
  const scrub: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = first + Math.floor((i * span) / 999);
    const s = performance.now();
    index.stateAt(t, { limit: 100 });
    scrub.push(performance.now() - s);
  }
  const getAt: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    const k = keys[i % keys.length];
    const t = randomT();
    const s = performance.now();
    index.getAt(k.scope, k.key, t);
    getAt.push((performance.now() - s) * 1000);
  }
  const history: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const k = keys[i % keys.length];
    const s = performance.now();
    index.history(k.scope, k.key);
    history.push((performance.now() - s) * 1000);
  }
  const diff: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = first + Math.floor(rnd() * span * 0.9);
    const s = performance.now();
    index.diff(t, t + Math.floor(span / 10), { limit: 100 });
    diff.push(performance.now() - s);
  }
  gc();
  const settled = process.memoryUsage().rss;
  const keyBytes = sampleKeyStringBytes(index);
  const results: Result[] = [
    result('timeline: generations', summary.generations.length, 'files'),
    result('timeline: frames', frames, 'frames'),
    result('timeline: versions', summary.versions, 'versions'),
    result('timeline: floor (read + inflate + crc32)', round(floor.ms), 'ms'),
    result("timeline: floor, inflating in zlib's default 16 KiB chunks", round(floorDefaultChunks.ms), 'ms'),
    result(`timeline: open + index (${label})`, round(buildMs), 'ms'),
    // One sample; the suite's target is on the median over several processes.
    result(`timeline: open + index / floor (${label})`, round(buildMs / floor.ms, 2), 'x'),
    result('timeline: stateAt page of 100 + total, random T, p95', round(p95(stateRandom), 3), 'ms', { op: '<=', value: 5 }),
    result('timeline: stateAt scrub of 1,000 even T, p95', round(p95(scrub), 3), 'ms', { op: '<=', value: 5 }),
    result('timeline: getAt with value, p95', round(p95(getAt), 2), 'µs', { op: '<=', value: 10 }),
    result('timeline: history of a key, p95', round(p95(history), 1), 'µs', { op: '<=', value: 100 }),
    result('timeline: diff across 10% of the range, p95', round(p95(diff), 1), 'ms', { op: '<=', value: 50 }),
    result('timeline: index bytes per version (keys excluded)', round(summary.indexBytes / summary.versions, 1), 'B', { op: '<=', value: 48 }),
    result('timeline: key strings', round(keyBytes / 1e6, 1), 'MB'),
    result('timeline: peak RSS while indexing', round(peak / 1e6), 'MB', { op: '<=', value: 650 }),
    result('timeline: settled RSS after indexing', round(settled / 1e6), 'MB', { op: '<=', value: 400 }),
  ];
  process.stdout.write(JSON.stringify(results));
}

function sampleKeys(index: TimelineIndex, n: number, rnd: () => number): { scope: number; key: string }[] {
  const { keys } = index.internals;
  return Array.from({ length: n }, () => {
    const id = Math.floor(rnd() * keys.size);
    return { scope: keys.scopeOf(id), key: keys.keyOf(id) };
  });
}

function sampleKeyStringBytes(index: TimelineIndex): number {
  const { keys } = index.internals;
  let bytes = 0;
  for (let id = 0; id < keys.size; id++) bytes += 2 * keys.keyOf(id).length + 16;
  return bytes;
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}


main().catch((err) => {
  console.error(err);
  process.exit(1);
});
