// The recent stores list, persisted as JSON (in Electron's userData folder). Electron-free.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RecentStoreSchema } from '../../shared/api';

export type RecentStore = z.output<typeof RecentStoreSchema>;

export const MAX_RECENT = 10;

/** A stable id for (dir, store): the renderer names recent stores only by it. */
export function recentId(dir: string, store: string): string {
  return createHash('sha256').update(dir).update('\0').update(store).digest('hex').slice(0, 16);
}

export class RecentStores {
  private items: RecentStore[];

  /** `file` null keeps the list in memory only. */
  constructor(
    private readonly file: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.items = file ? RecentStores.load(file) : [];
  }

  private static load(file: string): RecentStore[] {
    try {
      const parsed = z.array(RecentStoreSchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  /** Most recent first; stores whose folder is gone are left out. */
  list(): RecentStore[] {
    return this.items.filter((r) => existsSync(r.dir));
  }

  get(id: string): RecentStore | undefined {
    return this.items.find((r) => r.id === id);
  }

  add(dir: string, store: string): RecentStore {
    const entry: RecentStore = { id: recentId(dir, store), dir, store, openedAt: this.now() };
    this.items = [entry, ...this.items.filter((r) => r.id !== entry.id)].slice(0, MAX_RECENT);
    this.save();
    return entry;
  }

  remove(id: string): void {
    this.items = this.items.filter((r) => r.id !== id);
    this.save();
  }

  clear(): void {
    this.items = [];
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.items, null, 2));
      renameSync(tmp, this.file);
    } catch {
      // The list is a convenience: failing to save it must not fail opening a store.
    }
  }
}
