// Generates the demo store with the real writer (VersionedKVStore) and an injected clock:
// days of a simulated fleet app's writes, with a small buffer so it rotates many times and
// leaves a row of archives. Written into a temporary folder and renamed into place when
// complete, so a half-generated demo is never opened.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { VersionedKVStore, type PersistentStoreConfig } from '../../engine/store';
import { activityAt, FleetSimulator } from './fleet';
import { prng } from './prng';

export const DEMO_STORE_NAME = 'fleet';

/** Small buffers: a journal holds ~1–2k writes before it rotates, so the demo has many archives. */
export const DEMO_CONFIG: PersistentStoreConfig = {
  initialBufferSize: 32 * 1024,
  maxCapacityBytes: 256 * 1024,
  highWaterMarkRatio: 0.7,
};

export interface DemoOptions {
  seed?: number;
  /** Last write's time (µs since the epoch); default now. */
  end?: number;
  /** Days of history (default 5). */
  days?: number;
  /** Simulated events (default 24 000; each writes 1–3 keys, a firmware rollout ~20). */
  events?: number;
  vehicles?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface DemoReport {
  events: number;
  writes: number;
  rotations: number;
  start: number;
  end: number;
}

const DAY = 86_400_000_000;

function meanActivity(): number {
  let sum = 0;
  for (let m = 0; m < 24 * 60; m++) sum += activityAt(m * 60_000_000);
  return sum / (24 * 60);
}

/** Writes the demo store NAME into `dir` (which must not exist yet). */
export async function generateDemoStore(dir: string, options: DemoOptions = {}): Promise<DemoReport> {
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  const end = options.end ?? Date.now() * 1000;
  const days = options.days ?? 5;
  const events = options.events ?? 24_000;
  const start = end - days * DAY;
  const tmp = `${dir}.generating-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });

  let now = start;
  let rotations = 0;
  const store = VersionedKVStore.open(tmp, DEMO_STORE_NAME, {
    config: DEMO_CONFIG,
    clock: () => now,
    onEvent: (e) => {
      if (e.type === 'rotated') rotations++;
    },
  });
  const seed = options.seed ?? 20240101;
  const sim = new FleetSimulator({ seed, vehicles: options.vehicles });
  // The gaps between events come from their own seeded sequence.
  const gapRnd = prng(seed ^ 0x9e3779b9);
  let writes = 0;
  let count = 0;
  try {
    // The fleet comes online over its first minutes, a few keys at a time.
    const setup = sim.setup();
    for (let k = 0; k < setup.length; k += 40) {
      store.writeBatch(setup.slice(k, k + 40));
      now += 1_000_000 + Math.floor(gapRnd() * 5_000_000);
    }
    writes += setup.length;
    const meanGap = ((end - start) / events) * meanActivity();
    // Each event's gap follows the time of day: busy at noon and in the evening, quiet at night.
    for (;;) {
      const activity = activityAt(now);
      now += Math.max(1, Math.round((-Math.log(1 - gapRnd()) * meanGap) / activity));
      if (now >= end) break;
      const ops = sim.step(activity);
      if (ops.length && store.writeBatch(ops) !== null) writes += ops.length;
      if (++count % 2000 === 0) {
        options.onProgress?.(Math.min(count, events), events);
        options.signal?.throwIfAborted();
        await yieldToLoop();
      }
    }
    await store.close();
  } catch (err) {
    await store.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  renameSync(tmp, dir);
  options.onProgress?.(events, events);
  return { events: count, writes, rotations, start, end };
}
