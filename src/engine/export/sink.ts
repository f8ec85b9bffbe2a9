import { createWriteStream, existsSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExportError, type ExportTarget } from './types';

/** Text is gathered into chunks of about this many characters before it is written. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Where an export's bytes go, with back-pressure: `write` resolves once the stream accepts
 * more. A file is written under a temporary name beside the target and renamed into place by
 * `commit`, so a cancelled or failed export never leaves a partial file under the final name;
 * `abort` deletes the temporary file.
 */
export class ExportSink {
  bytes = 0;
  private pending = '';
  private failed: Error | null = null;
  private constructor(
    private readonly stream: NodeJS.WritableStream,
    /** The final path, or null for a caller's stream (which is never ended or closed here). */
    readonly path: string | null,
    private readonly tempPath: string | null,
  ) {
    stream.on('error', (err: Error) => {
      this.failed ??= err;
    });
  }

  static open(target: ExportTarget, overwrite = false): ExportSink {
    if (typeof target !== 'string') return new ExportSink(target, null, null);
    if (existsSync(target)) {
      if (statSync(target).isDirectory()) throw new ExportError(`${target} is a folder: give a file name`);
      if (!overwrite) throw new ExportError(`${target} already exists (use overwrite to replace it)`);
    }
    if (!existsSync(dirname(target))) throw new ExportError(`the folder of ${target} does not exist`);
    const tempPath = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
    const stream = createWriteStream(tempPath, { flags: 'wx' });
    return new ExportSink(stream, target, tempPath);
  }

  /** Buffers text; writes whole chunks (waiting for the stream to drain when it asks to). */
  async text(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) await this.flushText();
  }

  async flushText(): Promise<void> {
    if (!this.pending) return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    await this.write(chunk);
  }

  /**
   * Writes bytes; resolves when the stream can take more, or with `waitUntilWritten` once they
   * have reached the file (then the caller may reuse `bytes`).
   */
  async write(bytes: Uint8Array, waitUntilWritten = false): Promise<void> {
    if (this.failed) throw this.failed;
    this.bytes += bytes.length;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: Error | null) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      const ok = this.stream.write(bytes, (err?: Error | null) => {
        if (err || waitUntilWritten) done(err ?? null);
      });
      if (waitUntilWritten) return;
      if (ok) done();
      else {
        const onDrain = () => {
          this.stream.removeListener('error', onError);
          done();
        };
        const onError = (err: Error) => {
          this.stream.removeListener('drain', onDrain);
          done(err);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      }
    });
    if (this.failed) throw this.failed;
  }

  /** Finishes: flushes, closes the file and renames it into place. */
  async commit(): Promise<void> {
    await this.flushText();
    if (this.tempPath === null) {
      if (this.failed) throw this.failed;
      return;
    }
    const stream = this.stream as WriteStream;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    if (this.failed) throw this.failed;
    renameSync(this.tempPath, this.path!);
  }

  /** Gives up: the temporary file is deleted (a caller's stream is left open). */
  async abort(): Promise<void> {
    this.pending = '';
    if (this.tempPath === null) return;
    const stream = this.stream as WriteStream;
    await new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else {
        stream.once('close', () => resolve());
        stream.destroy();
      }
    });
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }
}
