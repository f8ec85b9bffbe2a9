// The writer process of test/reliability/liveWriter.test.ts, run as
//   node --import tsx liveWriterChild.ts DIR NAME LAYOUT SEED MAX_DURATION_MS WRITES_PER_S
// It writes and rotates a store with tiny buffers, at a steady rate, with the system clock,
// until its standard input ends (the parent has followed enough) or MAX_DURATION_MS pass, and
// prints one JSON line per acknowledged operation as soon as it returns (so every line the
// parent reads is a write that is already in the files):
//   {"w":[scope,key,value|null,ts]}          a put (value) or a delete (null)
//   {"b":[[scope,key,value|null],...],"ts":T} a batch (all under one timestamp)
//   {"r":generation}                         a rotation finished (the new active generation)
//   {"a":1}                                  an archive was written (compressed and renamed)
//   {"final":[[scope,key,value,ts],...]}     the live state after close(), then it exits 0
//   {"error":"..."}                          a failure off the write path (onError)
import { VersionedKVStore, type BatchOp, type StoreLayout } from '../../../src/engine/store';
import type { StateValue } from '../../../src/engine/format/value';
import { rng } from './rng';

const [dir, name, layoutArg, seedArg, durationArg, rateArg] = process.argv.slice(2);
const layout = layoutArg as StoreLayout;
const random = rng(Number(seedArg));
const durationMs = Number(durationArg);
const rate = Number(rateArg);

const print = (line: unknown): void => void process.stdout.write(JSON.stringify(line) + '\n');

/** Keys in three scopes, two of them non-ASCII (their UTF-8 bytes sort differently from UTF-16). */
export const LIVE_KEYS: readonly [number, string][] = [
  ...Array.from({ length: 12 }, (_, i) => [2, `k${i}`] as [number, string]),
  [1, 'flag-a'],
  [1, 'flag-b'],
  [3, 'sys'],
  [3, 'ключ'],
  [2, '🔑'],
  [2, 'ｋ'],
];

const store = VersionedKVStore.open(dir, name, {
  layout,
  normalize: false,
  // About 30 writes between rotations; a long value now and then grows the buffer.
  config: { initialBufferSize: 2048, maxCapacityBytes: 16384, highWaterMarkRatio: 0.6 },
  onEvent: (e) => {
    if (e.type === 'rotated') print({ r: e.toGeneration });
    else if (e.type === 'archived') print({ a: 1 });
  },
  onError: (error, phase) => print({ error: `${phase}: ${String(error)}` }),
});

let counter = 0;
function value(): string {
  counter++;
  return random.chance(0.03) ? `long${counter}:${'x'.repeat(random.int(100, 700))}` : `v${counter}`;
}
const str = (v: string): StateValue => ({ kind: 'string', value: v });

function step(): void {
  const [scope, key] = random.pick(LIVE_KEYS);
  const roll = random.next();
  if (roll < 0.15) {
    const ts = store.delete(scope, key);
    if (ts !== null) print({ w: [scope, key, null, ts] });
  } else if (roll < 0.2) {
    const ops: BatchOp[] = [];
    for (let i = random.int(2, 5); i > 0; i--) {
      const [s, k] = random.pick(LIVE_KEYS);
      ops.push({ scope: s, key: k, value: random.chance(0.25) ? null : str(value()) });
    }
    // The batch skips deletes of keys not live at that point: report what it wrote.
    const live = new Set<string>();
    for (const e of store.entries()) live.add(`${e.scope}\u0000${e.key}`);
    const written: [number, string, string | null][] = [];
    for (const op of ops) {
      const id = `${op.scope}\u0000${op.key}`;
      if (op.value === null && !live.has(id)) continue;
      if (op.value === null) live.delete(id);
      else live.add(id);
      written.push([op.scope, op.key, op.value === null ? null : (op.value as { value: string }).value]);
    }
    const ts = store.writeBatch(ops);
    if (ts !== null) print({ b: written, ts });
  } else if (roll < 0.205) {
    store.rotate();
  } else {
    const v = value();
    print({ w: [scope, key, v, store.put(scope, key, str(v))] });
  }
}

let stopped = false;
process.stdin.on('end', () => (stopped = true));
process.stdin.on('error', () => (stopped = true));
process.stdin.resume();

async function main(): Promise<void> {
  const start = performance.now();
  let done = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs || stopped) break;
    const due = Math.floor((elapsed / 1000) * rate);
    for (; done < due; done++) step();
    await new Promise((resolve) => setTimeout(resolve, random.int(0, 3)));
  }
  await store.close();
  print({ final: [...store.entries()].map((e) => [e.scope, e.key, (e.value as { value: string }).value, e.timestamp]) });
  process.stdin.destroy(); // nothing keeps the process alive any more
}

main().catch((err: unknown) => {
  print({ error: `fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
  process.exitCode = 1;
});
