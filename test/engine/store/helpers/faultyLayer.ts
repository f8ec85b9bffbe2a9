import type { FileLayer } from '../../../../src/engine/store/fileLayer';

export type FaultMode = 'fail' | 'crash';

export class InjectedFault extends Error {
  constructor(
    readonly call: string,
    readonly mode: FaultMode,
  ) {
    super(`injected ${mode} at ${call}`);
  }
}

/**
 * Wraps a real file layer and counts its calls. Armed with (n, mode), the n-th call from then
 * on throws: 'fail' throws once and later calls work again; 'crash' simulates the death of the
 * process: that call and every later one throw, so nothing more reaches the disk.
 */
export class FaultyLayer implements FileLayer {
  /** Names of the calls made since arming (or since creation), in order. */
  readonly log: string[] = [];
  crashed = false;
  fired: InjectedFault | null = null;
  private armedAt = 0;
  private mode: FaultMode = 'fail';
  private count = 0;
  /** Optional: fail only calls whose name matches. */
  private filter: ((call: string) => boolean) | null = null;
  private readonly openFds = new Set<number>();

  constructor(private readonly base: FileLayer) {}

  arm(n: number, mode: FaultMode, filter?: (call: string) => boolean): void {
    this.armedAt = n;
    this.mode = mode;
    this.count = 0;
    this.log.length = 0;
    this.filter = filter ?? null;
  }

  /** Starts counting (and logging) calls without a fault. */
  count0(): void {
    this.arm(0, 'fail');
  }

  private enter(call: string): void {
    if (this.crashed) throw new InjectedFault(call, 'crash');
    if (this.filter && !this.filter(call)) return;
    this.count++;
    this.log.push(call);
    if (this.armedAt > 0 && this.count === this.armedAt) {
      this.fired = new InjectedFault(call, this.mode);
      if (this.mode === 'crash') this.crashed = true;
      throw this.fired;
    }
  }

  mkdirp(path: string): void {
    this.enter('mkdirp');
    this.base.mkdirp(path);
  }
  readdir(path: string): string[] {
    this.enter('readdir');
    return this.base.readdir(path);
  }
  exists(path: string): boolean {
    this.enter('exists');
    return this.base.exists(path);
  }
  readFile(path: string): Buffer {
    this.enter('readFile');
    return this.base.readFile(path);
  }
  open(path: string, mode: 'create' | 'existing'): number {
    this.enter(`open:${mode}`);
    const fd = this.base.open(path, mode);
    this.openFds.add(fd);
    return fd;
  }
  truncate(fd: number, size: number): void {
    this.enter('truncate');
    this.base.truncate(fd, size);
  }
  pwrite(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
    this.enter('pwrite');
    this.base.pwrite(fd, buf, offset, length, position);
  }
  fsync(fd: number): void {
    this.enter('fsync');
    this.base.fsync(fd);
  }
  close(fd: number): void {
    this.enter('close');
    this.base.close(fd);
    this.openFds.delete(fd);
  }

  /** What the OS does when a process dies: closes the files it left open. */
  reap(): void {
    for (const fd of this.openFds) this.base.close(fd);
    this.openFds.clear();
  }
  rename(from: string, to: string): void {
    this.enter('rename');
    this.base.rename(from, to);
  }
  unlink(path: string): void {
    this.enter('unlink');
    this.base.unlink(path);
  }
  async deflate(data: Uint8Array, level: number): Promise<Buffer> {
    this.enter('deflate');
    return this.base.deflate(data, level);
  }
  async readFileAsync(path: string): Promise<Buffer> {
    this.enter('readFileAsync');
    return this.base.readFileAsync(path);
  }
  async writeFileAsync(path: string, data: Uint8Array, fsync: boolean): Promise<void> {
    this.enter('writeFileAsync');
    return this.base.writeFileAsync(path, data, fsync);
  }
}
