// Live follow: notices when a store's files change (a writer appending, a rotation, an
// archive appearing) and calls `onChange`, throttled. fs.watch on the folder and its
// snapshots/ sub-folder gives quick notice; a slow poll of the files' sizes and mtimes
// catches what watching misses (network drives, a snapshots/ folder created later, platforms
// where fs.watch is unreliable). Only watches and stats: never opens a file for writing.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { listStoreFiles, SNAPSHOTS_DIR } from '../../engine/files';

export interface FollowOptions {
  /** Wait after the first change before calling onChange (default 150 ms). */
  debounceMs?: number;
  /** Poll interval of the fallback (default 2 s; 0 disables polling). */
  pollMs?: number;
}

/** A fingerprint of the store's files: names, sizes and modification times. */
export function filesSignature(dir: string, store: string): string {
  const parts: string[] = [];
  for (const f of listStoreFiles(dir, store)) {
    let mtime: number;
    try {
      mtime = statSync(f.path).mtimeMs;
    } catch {
      continue;
    }
    parts.push(`${f.relativePath}:${f.size}:${mtime}`);
  }
  return parts.join('|');
}

export class StoreWatcher {
  private watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private signature: string;
  private stopped = false;
  private readonly debounceMs: number;
  private readonly pollMs: number;

  constructor(
    readonly dir: string,
    readonly store: string,
    private readonly onChange: () => void,
    options: FollowOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 150;
    this.pollMs = options.pollMs ?? 2000;
    this.signature = filesSignature(dir, store);
    this.watchDir(dir);
    this.watchDir(join(dir, SNAPSHOTS_DIR));
    if (this.pollMs > 0) {
      this.poller = setInterval(() => this.poll(), this.pollMs);
      this.poller.unref();
    }
  }

  private watchDir(path: string): void {
    if (this.stopped || this.watchers.has(path)) return;
    try {
      const watcher = watch(path, { persistent: false }, (_event, name) => {
        const file = name?.toString() ?? '';
        if (file === '' || file === SNAPSHOTS_DIR || file.startsWith(`${this.store}.jrn.`)) this.changed();
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(path);
      });
      this.watchers.set(path, watcher);
    } catch {
      // Missing (snapshots/ may appear later) or not watchable: the poll covers it.
    }
  }

  private poll(): void {
    this.watchDir(join(this.dir, SNAPSHOTS_DIR));
    const now = filesSignature(this.dir, this.store);
    if (now !== this.signature) this.changed();
  }

  /** Something changed: call onChange once the burst settles (throttled, never overlapping). */
  changed(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.signature = filesSignature(this.dir, this.store);
      this.onChange();
    }, this.debounceMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
