import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { sharedCompressor } from './compressor';

/**
 * Every file operation of the store goes through this interface, so tests can make any single
 * call fail or "crash" (fail and every call after it). Synchronous calls are used on the write
 * path (put must be synchronous); compression and archive writing are asynchronous.
 */
export interface FileLayer {
  mkdirp(path: string): void;
  /** Names in a folder; [] when it does not exist. */
  readdir(path: string): string[];
  exists(path: string): boolean;
  readFile(path: string): Buffer;
  /** 'create' truncates or creates ('w+'); 'existing' opens for update ('r+'). */
  open(path: string, mode: 'create' | 'existing'): number;
  /** Sets the file length; growing fills with zeros (preallocation). */
  truncate(fd: number, size: number): void;
  /** Writes all `length` bytes of `buf` from `offset` at file `position`. */
  pwrite(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /**
   * zlib (RFC 1950) compression, off the main thread. Takes ownership of `data`: the caller
   * must not use it afterwards (it may be transferred to another thread).
   */
  deflate(data: Uint8Array, level: number): Promise<Buffer>;
  /** Optional: deflate calls not finished yet, readable synchronously (for back-pressure). */
  deflateBacklog?(): number;
  readFileAsync(path: string): Promise<Buffer>;
  /** Creates or replaces `path` with `data`; fsyncs it before resolving when asked. */
  writeFileAsync(path: string, data: Uint8Array, fsync: boolean): Promise<void>;
}

export const nodeFileLayer: FileLayer = {
  mkdirp: (path) => void fs.mkdirSync(path, { recursive: true }),
  readdir(path) {
    try {
      return fs.readdirSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
  exists: (path) => fs.existsSync(path),
  readFile: (path) => fs.readFileSync(path),
  open: (path, mode) => fs.openSync(path, mode === 'create' ? 'w+' : 'r+'),
  truncate: (fd, size) => fs.ftruncateSync(fd, size),
  pwrite(fd, buf, offset, length, position) {
    let done = 0;
    while (done < length) done += fs.writeSync(fd, buf, offset + done, length - done, position + done);
  },
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
  deflate: (data, level) => sharedCompressor.deflate(data, level),
  deflateBacklog: () => sharedCompressor.backlog,
  readFileAsync: (path) => fsp.readFile(path),
  async writeFileAsync(path, data, fsync) {
    const handle = await fsp.open(path, 'w');
    try {
      await handle.writeFile(data);
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
