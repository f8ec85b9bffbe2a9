import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JournalReader, readJournal } from '../../../src/engine/format/reader';
import { valuesEqual, type StateValue } from '../../../src/engine/format/value';
import { CapacityError, StoreClosedError } from '../../../src/engine/store/errors';
import { nodeFileLayer } from '../../../src/engine/store/fileLayer';
import { VersionedKVStore } from '../../../src/engine/store/store';
import { FaultyLayer, InjectedFault } from './helpers/faultyLayer';
import { StoreModel } from './helpers/model';
import { replayFolder } from './helpers/replay';
import { FakeClock, tempDir } from './helpers/tmp';

const str = (value: string): StateValue => ({ kind: 'string', value });

describe('VersionedKVStore: reads and writes', () => {
  it('puts, gets, deletes and iterates the live state with timestamps', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    const t1 = store.put(2, 'a', str('1'));
    clock.advance(10);
    const t2 = store.put(1, 'a', { kind: 'int', value: -1n });
    clock.advance(10);
    const t3 = store.put(2, 'b', { kind: 'bool', value: false });
    expect([t1, t2, t3]).toEqual([1704067200000000, 1704067200000010, 1704067200000020]);
    expect(store.get(2, 'a')).toEqual(str('1'));
    expect(store.get(1, 'a')).toEqual({ kind: 'int', value: -1n });
    expect(store.get(3, 'a')).toBeNull();
    expect(store.getEntry(2, 'b')).toEqual({ scope: 2, key: 'b', value: { kind: 'bool', value: false }, timestamp: t3 });
    expect(store.size).toBe(3);

    clock.advance(10);
    const position = store.position;
    expect(store.delete(2, 'missing')).toBeNull();
    expect(store.position).toBe(position); // nothing written
    expect(store.delete(2, 'a')).toBe(1704067200000030);
    expect(store.has(2, 'a')).toBe(false);
    expect([...store].map((e) => [e.scope, e.key, e.timestamp])).toEqual([
      [1, 'a', t2],
      [2, 'b', t3],
    ]);
    await store.close();
    expect(() => store.put(2, 'x', str('y'))).toThrow(StoreClosedError);
  });

  it('round-trips every value kind, and the file reads back with JournalReader and readJournal', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const values: StateValue[] = [
      str(''),
      str('värde ✓'),
      { kind: 'int', value: 0n },
      { kind: 'int', value: -(2n ** 63n) },
      { kind: 'int', value: 2n ** 63n - 1n },
      { kind: 'double', value: Number.NaN },
      { kind: 'double', value: -0 },
      { kind: 'bool', value: true },
      { kind: 'bytes', value: new Uint8Array([0, 1, 255]) },
      { kind: 'list', value: [str('x'), { kind: 'int', value: 3n }] },
      { kind: 'map', value: new Map<string, StateValue>([['k', { kind: 'bool', value: false }]]) },
    ];
    for (const layout of ['spec', 'upstream'] as const) {
      const store = VersionedKVStore.open(dir, layout, { clock: clock.fn, layout });
      const model = new StoreModel();
      values.forEach((v, i) => {
        model.apply(2, `key.${i}`, store.put(2, `key.${i}`, v), v);
        clock.advance(1);
      });
      model.apply(2, 'key.0', store.delete(2, 'key.0')!, null);
      for (const [i, v] of values.entries()) if (i > 0) expect(valuesEqual(store.get(2, `key.${i}`), v)).toBe(true);
      const position = store.position;
      const size = store.bufferSize;
      await store.close();

      const bytes = readFileSync(join(dir, `${layout}.jrn.0`));
      expect(bytes.length).toBe(size);
      const contents = readJournal(bytes, { file: layout });
      expect(contents.problems).toEqual([]);
      expect(contents.header).toMatchObject({ variant: layout === 'spec' ? 'v17' : 'v9', position });
      expect(contents.payloadLayout).toBe(layout === 'spec' ? 'key-value-pair' : 'state-value');
      expect(contents.frames.length).toBe(model.history.length);
      contents.frames.forEach((f, i) => {
        const h = model.history[i];
        expect([f.scope, f.key, f.timestamp]).toEqual([h.scope, h.key, h.timestamp]);
        expect(valuesEqual(f.value, h.value)).toBe(true);
      });
      expect(bytes.subarray(position).every((b) => b === 0)).toBe(true);

      const reader = new JournalReader(bytes, { file: layout });
      let n = 0;
      while (reader.next()) n++;
      expect(reader.complete).toBe(true);
      expect(n).toBe(model.history.length);
    }
  });

  it('clamps the clock to be non-decreasing, also across a reopen', async () => {
    const dir = tempDir();
    const clock = new FakeClock(1000);
    let store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    expect(store.put(2, 'a', str('1'))).toBe(1000);
    clock.now = 500; // backwards
    expect(store.put(2, 'b', str('2'))).toBe(1000);
    clock.now = 1500.7; // fractions are floored
    expect(store.put(2, 'c', str('3'))).toBe(1500);
    await store.close();

    clock.now = 10; // far behind after a restart
    store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    expect(store.lastTimestamp).toBe(1500);
    expect(store.put(2, 'd', str('4'))).toBe(1500);
    await store.close();
    expect(() => VersionedKVStore.open(dir, 'kv', { clock: () => Number.NaN }).put(2, 'e', str('5'))).toThrow(RangeError);
  });

  it('writes a batch under one timestamp with one frame write and one header write', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const layer = new FaultyLayer(nodeFileLayer);
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn, fileLayer: layer });
    store.put(2, 'old', str('x'));
    clock.advance(5);
    const model = new StoreModel();
    model.apply(2, 'old', clock.now - 5, str('x'));
    const ops = [
      { scope: 2, key: 'a', value: str('1') },
      { scope: 2, key: 'ghost', value: null }, // not live: writes nothing
      { scope: 1, key: 'b', value: { kind: 'int', value: 7n } as StateValue },
      { scope: 2, key: 'a', value: null }, // live inside the batch: deleted
      { scope: 2, key: 'old', value: str('y') },
    ];
    layer.count0();
    const ts = store.writeBatch(ops);
    expect(layer.log).toEqual(['pwrite', 'pwrite']);
    expect(ts).toBe(clock.now);
    model.applyBatch(ops, ts!);
    expect(store.writeBatch([])).toBeNull();
    expect(store.writeBatch([{ scope: 2, key: 'ghost', value: null }])).toBeNull();
    expect(store.get(2, 'a')).toBeNull();
    expect(store.getEntry(1, 'b')).toMatchObject({ timestamp: ts });
    await store.close();
    expect(replayFolder(dir, 'kv').history).toEqual(model.history);
  });

  it('makes a batch all-or-nothing when its header write fails', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const layer = new FaultyLayer(nodeFileLayer);
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn, fileLayer: layer });
    store.put(2, 'a', str('before'));
    const position = store.position;
    layer.arm(2, 'fail'); // the frames land, the header position does not
    expect(() =>
      store.writeBatch([
        { scope: 2, key: 'a', value: str('after') },
        { scope: 2, key: 'b', value: str('new') },
      ]),
    ).toThrow(InjectedFault);
    expect(store.position).toBe(position);
    expect(store.get(2, 'a')).toEqual(str('before'));
    expect(store.has(2, 'b')).toBe(false);
    const onDisk = readJournal(readFileSync(join(dir, 'kv.jrn.0')), { file: 'kv' });
    expect(onDisk.header?.position).toBe(position);
    expect(onDisk.frames.map((f) => f.key)).toEqual(['a']);
    // The in-memory copy (what gets archived) still equals the file.
    const onDiskNow = readFileSync(join(dir, 'kv.jrn.0'));
    store.rotate();
    const archived = readdirSync(dir).find((n) => n.endsWith('.zz'));
    await store.whenIdle();
    expect(inflateSync(readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.zz'))!))).equals(onDiskNow)).toBe(true);
    expect(archived).toBeUndefined(); // archiving happens after rotate() returns
    // The store goes on.
    store.put(2, 'c', str('later'));
    await store.close();
    const reopened = VersionedKVStore.open(dir, 'kv', { clock: clock.fn });
    expect([...reopened].map((e) => [e.key, e.value])).toEqual([
      ['a', str('before')],
      ['c', str('later')],
    ]);
    await reopened.close();
  });

  it('refuses a write that can never fit with a CapacityError and writes nothing', async () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const store = VersionedKVStore.open(dir, 'kv', { clock: clock.fn, config: { initialBufferSize: 4096, maxCapacityBytes: 8192 } });
    store.put(2, 'a', str('small'));
    const before = readFileSync(join(dir, 'kv.jrn.0'));
    const position = store.position;
    expect(() => store.put(2, 'big', str('x'.repeat(9000)))).toThrow(CapacityError);
    let error: unknown;
    try {
      store.writeBatch([
        { scope: 2, key: 'b1', value: str('y'.repeat(3000)) },
        { scope: 2, key: 'b2', value: str('y'.repeat(3000)) },
        { scope: 2, key: 'b3', value: str('y'.repeat(3000)) },
      ]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CapacityError);
    expect((error as CapacityError).maxCapacityBytes).toBe(8192);
    expect(store.position).toBe(position);
    expect(store.generation).toBe(0);
    expect(store.has(2, 'b1')).toBe(false);
    expect(readFileSync(join(dir, 'kv.jrn.0')).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['kv.jrn.0']);
    // A write that fits after growing is accepted.
    store.put(2, 'medium', str('z'.repeat(5000)));
    expect(store.generation).toBe(1);
    expect(store.bufferSize).toBe(8192);
    await store.close();
  });

  it('preallocates the journal to the buffer size, zero-filled', async () => {
    const dir = tempDir();
    const store = VersionedKVStore.open(dir, 'kv', { config: { initialBufferSize: 16384 } });
    const path = join(dir, 'kv.jrn.0');
    expect(statSync(path).size).toBe(16384);
    expect(readJournal(readFileSync(path), { file: 'kv' }).header).toMatchObject({ variant: 'v17', position: 17 });
    await store.close();
  });

  it('writes a store with the 17-byte header and upstream payloads on request', async () => {
    const dir = tempDir();
    const store = VersionedKVStore.open(dir, 'kv', { layout: 'upstream', headerVariant: 'v17' });
    store.put(2, 'a', str('1'));
    await store.close();
    const contents = readJournal(readFileSync(join(dir, 'kv.jrn.0')), { file: 'kv' });
    expect(contents.header?.variant).toBe('v17');
    expect(contents.payloadLayout).toBe('state-value');
  });

  it('validates scope and key', () => {
    const store = VersionedKVStore.open(tempDir(), 'kv');
    expect(() => store.put(256, 'a', str('x'))).toThrow(RangeError);
    expect(() => store.put(1.5, 'a', str('x'))).toThrow(RangeError);
    expect(() => store.put(2, 'a', null as unknown as StateValue)).toThrow(TypeError);
    return store.close();
  });

  it('keeps several stores in one folder apart', async () => {
    const dir = tempDir();
    const a = VersionedKVStore.open(dir, 'a');
    const b = VersionedKVStore.open(dir, 'a.b');
    a.put(2, 'k', str('a'));
    b.put(2, 'k', str('b'));
    await a.close();
    await b.close();
    const a2 = VersionedKVStore.open(dir, 'a');
    expect(a2.get(2, 'k')).toEqual(str('a'));
    await a2.close();
    writeFileSync(join(dir, 'unrelated.txt'), 'x');
    const b2 = VersionedKVStore.open(dir, 'a.b');
    expect(b2.get(2, 'k')).toEqual(str('b'));
    await b2.close();
  });
});
