import { describe, expect, it } from 'vitest';
import type { StateValue } from '../../../src/engine/format/value';
import type { StoreEvent } from '../../../src/engine/store/events';
import { nodeFileLayer } from '../../../src/engine/store/fileLayer';
import { VersionedKVStore, type BatchOp, type StoreOptions } from '../../../src/engine/store/store';
import { FaultyLayer, InjectedFault, type FaultMode } from './helpers/faultyLayer';
import { byScopeKey, StoreModel } from './helpers/model';
import { replayFolder } from './helpers/replay';
import { FakeClock, tempDir } from './helpers/tmp';

/**
 * Crash and failure injection during a rotation. For every I/O call a rotation makes (found by
 * a dry run), in turn, that call fails once ('fail') or the process "dies" there ('crash': that
 * call and all later ones throw). Afterwards the folder is reopened with the real file layer
 * and must hold exactly the acknowledged writes: the live state, and, replayed independently
 * generation by generation, a history equal to the acknowledged writes (no duplicate, no
 * loss), with old generations archived, no incomplete generation and no temporary file left.
 */
type Op = { kind: 'put'; scope: number; key: string; value: StateValue } | { kind: 'delete'; scope: number; key: string } | { kind: 'batch'; ops: BatchOp[] };

function script(valueSize: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < 60; i++) {
    const key = `key-${i % 6}`;
    const scope = i % 6 < 2 ? 1 : 2;
    if (i % 7 === 6) ops.push({ kind: 'delete', scope, key: `key-${(i + 1) % 6}` });
    else if (i % 11 === 10)
      ops.push({
        kind: 'batch',
        ops: [
          { scope: 2, key: `batch-${i}`, value: { kind: 'int', value: BigInt(-i) } },
          { scope, key, value: { kind: 'string', value: 'b'.repeat(valueSize) } },
          { scope: 2, key: 'key-3', value: null },
        ],
      });
    else ops.push({ kind: 'put', scope, key, value: { kind: 'string', value: `${i}:`.padEnd(valueSize, 'x') } });
  }
  return ops;
}

/** Runs one op; applies it to the model only if the store acknowledged it (returned). */
function runOp(store: VersionedKVStore, model: StoreModel, op: Op): void {
  if (op.kind === 'put') model.apply(op.scope, op.key, store.put(op.scope, op.key, op.value), op.value);
  else if (op.kind === 'delete') {
    const ts = store.delete(op.scope, op.key);
    if (ts !== null) model.apply(op.scope, op.key, ts, null);
  } else {
    const ts = store.writeBatch(op.ops);
    if (ts !== null) model.applyBatch(op.ops, ts);
  }
}

interface Scenario {
  name: string;
  options: StoreOptions;
  valueSize: number;
}

const scenarios: Scenario[] = [
  { name: 'high-water mark, spec', valueSize: 24, options: { layout: 'spec', normalize: false, config: { initialBufferSize: 1024, maxCapacityBytes: 8192, highWaterMarkRatio: 0.5 } } },
  {
    name: 'high-water mark, upstream, fsync at rotation, retention on',
    valueSize: 24,
    options: { layout: 'upstream', fsync: 'rotation', retention: { maxArchives: 100 }, normalize: false, config: { initialBufferSize: 1024, maxCapacityBytes: 8192, highWaterMarkRatio: 0.5 } },
  },
  { name: 'no room for a write, spec', valueSize: 120, options: { layout: 'spec', normalize: false, config: { initialBufferSize: 1024, maxCapacityBytes: 16384, highWaterMarkRatio: 1.0 } } },
  { name: 'no room for a write, upstream', valueSize: 120, options: { layout: 'upstream', normalize: false, config: { initialBufferSize: 1024, maxCapacityBytes: 16384, highWaterMarkRatio: 1.0 } } },
];

/** Index of the first op during which the store rotated, and the I/O calls from that op until archiving ended. */
async function dryRun(s: Scenario): Promise<{ trigger: number; calls: string[] }> {
  const clock = new FakeClock();
  const layer = new FaultyLayer(nodeFileLayer);
  let rotatedDuring = -1;
  let current = 0;
  const onEvent = (e: StoreEvent) => {
    if (e.type === 'rotated' && rotatedDuring < 0) rotatedDuring = current;
  };
  const ops = script(s.valueSize);
  const store = VersionedKVStore.open(tempDir(), 's', { ...s.options, clock: clock.fn, fileLayer: layer, onEvent });
  for (current = 0; current < ops.length && rotatedDuring < 0; current++) {
    runOp(store, new StoreModel(), ops[current]);
    clock.advance(1000);
  }
  expect(rotatedDuring).toBeGreaterThan(0);
  await store.close();
  // Count the calls of the rotating op in a fresh run.
  const clock2 = new FakeClock();
  const layer2 = new FaultyLayer(nodeFileLayer);
  const store2 = VersionedKVStore.open(tempDir(), 's', { ...s.options, clock: clock2.fn, fileLayer: layer2 });
  for (let i = 0; i < rotatedDuring; i++) {
    runOp(store2, new StoreModel(), ops[i]);
    clock2.advance(1000);
  }
  layer2.count0();
  runOp(store2, new StoreModel(), ops[rotatedDuring]);
  await store2.whenIdle();
  const calls = [...layer2.log];
  await store2.close();
  return { trigger: rotatedDuring, calls };
}

async function runWithFault(s: Scenario, trigger: number, n: number, mode: FaultMode): Promise<void> {
  const dir = tempDir();
  const clock = new FakeClock();
  const layer = new FaultyLayer(nodeFileLayer);
  const errors: unknown[] = [];
  const ops = script(s.valueSize);
  const store = VersionedKVStore.open(dir, 's', { ...s.options, clock: clock.fn, fileLayer: layer, onError: (e) => errors.push(e) });
  const model = new StoreModel();
  for (let i = 0; i < ops.length; i++) {
    if (i === trigger) layer.arm(n, mode);
    try {
      runOp(store, model, ops[i]);
    } catch (err) {
      if (!(err instanceof InjectedFault)) throw err;
    }
    clock.advance(1000);
    if (i === trigger) await store.whenIdle();
    if (layer.crashed) break;
  }
  expect(layer.fired, 'the fault fired').not.toBeNull();
  if (mode === 'crash') {
    await store.close().catch(() => undefined);
    layer.reap();
  } else {
    await store.close();
  }

  // Restart with the real file layer.
  const reopened = VersionedKVStore.open(dir, 's', { ...s.options, clock: clock.fn });
  expect([...reopened].map((e) => ({ scope: e.scope, key: e.key, timestamp: e.timestamp, value: e.value })).sort(byScopeKey)).toEqual(model.sortedState());
  expect(reopened.openReport.dataLoss).toBe('none');
  // It keeps working: more writes, another rotation.
  model.apply(2, 'after', reopened.put(2, 'after', { kind: 'string', value: 'restart' }), { kind: 'string', value: 'restart' });
  reopened.rotate();
  await reopened.close();

  const replay = replayFolder(dir, 's');
  expect(replay.problems).toEqual([]);
  expect(replay.temps).toEqual([]);
  expect(replay.journals).toEqual([`s.jrn.${reopened.generation}`]);
  expect(replay.archives).toHaveLength(reopened.generation); // every older generation archived once
  expect(replay.history).toEqual(model.history);
  expect([...replay.state.values()].sort(byScopeKey)).toEqual(model.sortedState());
}

describe('crash and failure injection during rotation', () => {
  for (const s of scenarios) {
    it(`${s.name}: every I/O call of the rotation, failing once or crashing`, async () => {
      const { trigger, calls } = await dryRun(s);
      // The rotating op makes its own writes, the rotation's file calls, and the archive's.
      expect(calls).toContain('open:create');
      expect(calls).toContain('deflate');
      expect(calls).toContain('rename');
      expect(calls.length).toBeGreaterThanOrEqual(10);
      for (let n = 1; n <= calls.length; n++) {
        for (const mode of ['fail', 'crash'] as const) {
          try {
            await runWithFault(s, trigger, n, mode);
          } catch (err) {
            throw new Error(`${s.name}: ${mode} at call ${n} (${calls[n - 1]}) of [${calls.join(', ')}]: ${(err as Error).message}`, { cause: err });
          }
        }
      }
    });
  }
});
