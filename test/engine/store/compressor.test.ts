import { inflateSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WorkerCompressor } from '../../../src/engine/store/compressor';

describe('WorkerCompressor', () => {
  it('produces the zlib stream zlib itself produces, at the requested level', async () => {
    const c = new WorkerCompressor();
    const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251));
    const expected = deflateSync(data, { level: 5 });
    const out = await c.deflate(Buffer.from(data), 5);
    expect(out.equals(expected)).toBe(true);
    expect(inflateSync(out).equals(data)).toBe(true);
  });

  it('takes ownership of a whole buffer (transferred, not copied) and copies a view', async () => {
    const c = new WorkerCompressor();
    const whole = Buffer.alloc(8192, 1);
    const promise = c.deflate(whole, 5);
    expect(whole.buffer.byteLength).toBe(0); // detached: moved to the worker
    expect(inflateSync(await promise).length).toBe(8192);
    const backing = Buffer.alloc(100, 2);
    const view = backing.subarray(10, 20);
    expect(inflateSync(await c.deflate(view, 5))).toEqual(Buffer.alloc(10, 2));
    expect(backing.length).toBe(100);
  });

  it('makes progress while the main thread never yields, and counts its backlog', async () => {
    const c = new WorkerCompressor();
    const results = [c.deflate(Buffer.alloc(1 << 18, 3), 5), c.deflate(Buffer.alloc(1 << 18, 4), 5)];
    expect(c.backlog).toBe(2);
    const deadline = Date.now() + 20_000;
    while (c.backlog > 0 && Date.now() < deadline); // busy: no event loop turn
    expect(c.backlog).toBe(0);
    const [a, b] = await Promise.all(results);
    expect(inflateSync(a)).toEqual(Buffer.alloc(1 << 18, 3));
    expect(inflateSync(b)).toEqual(Buffer.alloc(1 << 18, 4));
  });
});
