// A folder that cannot be listed must never pass for an empty one: its archives would vanish
// from the history and the index would only say "history before the oldest file is unknown".
import * as fs from 'node:fs';
import type * as FsModule from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs', async (original) => {
  const real = await original<typeof FsModule>();
  return { ...real, readdirSync: vi.fn(real.readdirSync), statSync: vi.fn(real.statSync) };
});

const { listStoreFiles } = await import('../../../src/engine/files/storeFiles');
const real = await vi.importActual<typeof FsModule>('node:fs');

const dir = mkdtempSync(join(tmpdir(), 'jrn-list-'));
mkdirSync(join(dir, 'snapshots'));
for (const name of ['s.jrn.2', 'snapshots/s.jrn.g0.t1.zz', 'snapshots/s.jrn.g1.t2.zz']) writeFileSync(join(dir, name), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.mocked(fs.readdirSync).mockImplementation(real.readdirSync as never);
  vi.mocked(fs.statSync).mockImplementation(real.statSync as never);
});

const fail = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const names = () => listStoreFiles(dir, 's').map((f) => f.relativePath);

describe('listing a store folder when the file system errs', () => {
  it('lists every generation when nothing errs', () => {
    expect(names()).toEqual(['snapshots/s.jrn.g0.t1.zz', 'snapshots/s.jrn.g1.t2.zz', 's.jrn.2']);
  });

  it('retries transient errors (out of file descriptors) and then lists everything', () => {
    let failures = 3;
    vi.mocked(fs.readdirSync).mockImplementation(((path: string, ...rest: unknown[]) => {
      if (String(path).endsWith('snapshots') && failures-- > 0) throw fail('EMFILE');
      return (real.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as never);
    expect(names()).toEqual(['snapshots/s.jrn.g0.t1.zz', 'snapshots/s.jrn.g1.t2.zz', 's.jrn.2']);
    expect(failures).toBeLessThan(0);
  });

  it('fails with the folder named when it cannot be read, instead of listing it as empty', () => {
    vi.mocked(fs.readdirSync).mockImplementation(((path: string, ...rest: unknown[]) => {
      if (String(path).endsWith('snapshots')) throw fail('EACCES');
      return (real.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as never);
    expect(() => names()).toThrow(`cannot list ${join(dir, 'snapshots')}: EACCES`);
  });

  it('keeps a file it cannot stat (so reading reports it) and drops only one that is gone', () => {
    vi.mocked(fs.statSync).mockImplementation(((path: string, ...rest: unknown[]) => {
      if (String(path).endsWith('g0.t1.zz')) throw fail('EACCES');
      return (real.statSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as never);
    expect(listStoreFiles(dir, 's').map((f) => [f.relativePath, f.size])).toEqual([
      ['snapshots/s.jrn.g0.t1.zz', 0],
      ['snapshots/s.jrn.g1.t2.zz', 1],
      ['s.jrn.2', 1],
    ]);
  });
});
