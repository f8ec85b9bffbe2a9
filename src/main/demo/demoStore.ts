// The demo store: generated on first use into the app's data folder, then kept live by the
// simulated app writing to it through VersionedKVStore (on by default, with a pause switch),
// so following, new writes and rotations can be watched happening. This folder is ours: it is
// the one store the app writes to. A lock file next to it keeps two processes (the desktop
// app and `jrn serve --demo`) from writing at once; the second one only reads.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VersionedKVStore } from '../../engine/store';
import { activityAt, FleetSimulator } from './fleet';
import { DEMO_CONFIG, DEMO_STORE_NAME, generateDemoStore, type DemoOptions } from './generate';

export interface DemoStoreOptions {
  /** The app's data folder; the demo lives in <root>/demo/fleet. */
  root: string;
  /** Run the simulated app while the demo is open (default true). */
  writer?: boolean;
  /** Time between the simulated app's events (default 400 ms). */
  intervalMs?: number;
  /** Generation options (tests make a small demo). */
  generate?: Omit<DemoOptions, 'onProgress' | 'signal'>;
  /** Reports the writer's failures (it stops on the first one). */
  onError?: (err: unknown) => void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DemoStore {
  readonly dir: string;
  readonly store = DEMO_STORE_NAME;
  private readonly lockFile: string;
  private ensuring: Promise<void> | null = null;
  private writer: VersionedKVStore | null = null;
  private timer: NodeJS.Timeout | null = null;
  private users = 0;
  private paused: boolean;
  private holdsLock = false;
  private sim: FleetSimulator | null = null;

  constructor(private readonly options: DemoStoreOptions) {
    this.dir = join(options.root, 'demo', DEMO_STORE_NAME);
    this.lockFile = join(options.root, 'demo', 'writer.lock');
    this.paused = options.writer === false;
  }

  get exists(): boolean {
    return existsSync(this.dir);
  }

  /**
   * Generates the demo store unless it is there already. `generator` runs the generation
   * (the session passes one that runs it in the index worker); default: in this thread.
   */
  ensure(generator: (dir: string, options: DemoOptions) => Promise<unknown> = generateDemoStore): Promise<{ dir: string; store: string }> {
    if (!this.ensuring) {
      this.ensuring = (async () => {
        if (this.exists) return;
        mkdirSync(join(this.options.root, 'demo'), { recursive: true });
        await generator(this.dir, { ...this.options.generate });
      })();
      this.ensuring.catch(() => {
        this.ensuring = null;
      });
    }
    return this.ensuring.then(() => ({ dir: this.dir, store: this.store }));
  }

  /** A session opened the demo: the simulated app runs while anyone has it open. */
  acquire(): void {
    this.users++;
    this.update();
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    this.update();
  }

  /** Whether the simulated app is writing now. */
  get running(): boolean {
    return this.timer !== null;
  }

  /** The pause switch; returns whether the writer runs now. */
  setRunning(running: boolean): boolean {
    this.paused = !running;
    this.update();
    return this.running;
  }

  private update(): void {
    const want = this.users > 0 && !this.paused;
    if (want && !this.timer) this.start();
    else if (!want && this.timer) void this.stop();
  }

  private tryLock(): boolean {
    if (this.holdsLock) return true;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.holdsLock = true;
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
        const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) return false;
        rmSync(this.lockFile, { force: true }); // stale: its process is gone
      }
    }
    return false;
  }

  private unlock(): void {
    if (!this.holdsLock) return;
    this.holdsLock = false;
    rmSync(this.lockFile, { force: true });
  }

  private start(): void {
    if (!this.exists || !this.tryLock()) return;
    try {
      this.writer ??= VersionedKVStore.open(this.dir, this.store, { config: DEMO_CONFIG });
    } catch (err) {
      this.unlock();
      this.options.onError?.(err);
      return;
    }
    // A fresh simulated fleet, seeded from the time: its first events restate a plausible state.
    this.sim ??= new FleetSimulator({ seed: Date.now() & 0x7fffffff, firstOrder: 100_000 + (Math.floor(Date.now() / 1000) % 800_000) });
    const interval = this.options.intervalMs ?? 400;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.writer || !this.sim) return;
    try {
      // Busier in the day; a burst now and then so rotations come every few minutes.
      const activity = activityAt(Date.now() * 1000);
      const events = 1 + Math.floor(Math.random() * 3 * (0.3 + activity));
      for (let k = 0; k < events; k++) {
        const ops = this.sim.step(activity);
        if (ops.length) this.writer.writeBatch(ops);
      }
    } catch (err) {
      this.options.onError?.(err);
      void this.stop();
    }
  }

  private async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const writer = this.writer;
    this.writer = null;
    try {
      await writer?.close();
    } finally {
      this.unlock();
    }
  }

  /** Stops the writer (waiting for pending archives) and releases the lock. */
  async close(): Promise<void> {
    this.users = 0;
    await this.stop();
  }
}
