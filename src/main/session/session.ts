// A session: what one window (or one `jrn serve`) has open. It owns the folder grants (the
// renderer names folders only by the ids handed out here, never by path), the open stores
// (an index in the index worker plus a follow watcher each), and export jobs. Electron-free:
// the desktop shell and the HTTP server inject what differs (folder chooser, save dialog,
// where exports go, how events reach the UI).
import { randomUUID } from 'node:crypto';
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { listStores } from '../../engine/files';
import type { EventName, EventPayload, ExportJobSchema, MethodResult, StoreChoiceSchema } from '../../shared/api';
import { ApiFailure, forbidden, notFound, toApiError } from '../api/errors';
import { createDispatch, type ApiService, type Dispatch } from '../api/dispatch';
import type { DemoStore } from '../demo/demoStore';
import type { IndexClient } from '../indexer/client';
import { defaultExportName } from '../../engine/export';
import { throttledProgress } from '../../engine/progress';
import type { ExportResult, OpenResult, QueryMethod, RefreshResultJson, SummaryJson } from '../indexer/protocol';
import type { RecentStores } from '../recent/recentStores';
import { StoreWatcher, type FollowOptions } from './follow';

type StoreChoice = z.output<typeof StoreChoiceSchema>;
type ExportJob = z.output<typeof ExportJobSchema>;
type StoreSummary = MethodResult<'summary'>;
type Args<M extends keyof ApiService> = Parameters<ApiService[M]>[0];

export interface SessionOptions {
  transport: 'electron' | 'http';
  indexer: IndexClient;
  /** Pushes an event to this session's UI. */
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  recent?: RecentStores | null;
  demo?: DemoStore | null;
  /** Shows a folder picker (desktop); absent over HTTP. */
  chooseFolder?: () => Promise<string | null>;
  /** Desktop: asks where to save an export (null: cancelled). */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** jrn serve: exports are written here and downloaded from downloadUrl(jobId). */
  exportDir?: string;
  downloadUrl?: (jobId: string) => string;
  /** When set, this is the only store the session may open (jrn serve). */
  only?: { dir: string; store: string } | null;
  /** Follow open stores (default true) and how. */
  follow?: FollowOptions & { enabled?: boolean };
}

interface OpenStore {
  id: string;
  dir: string;
  store: string;
  isDemo: boolean;
  handle: number;
  summary: SummaryJson;
  watcher: StoreWatcher | null;
  refreshing: Promise<void> | null;
  again: boolean;
  closed: boolean;
}

interface Job {
  job: ExportJob;
  controller: AbortController;
}

const QUERY_METHODS = ['stateAt', 'getAt', 'history', 'diff', 'changes', 'histogram', 'nextChange', 'prevChange', 'generations'] as const;

function canonical(dir: string): string {
  const abs = resolve(dir);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}


export class Session implements ApiService {
  /**
   * Methods whose results the index service validated against the contract already (in the
   * worker); pass to createDispatch so they are not parsed again on the main thread.
   */
  static readonly prevalidated: ReadonlySet<string> = new Set(QUERY_METHODS);

  private readonly grants = new Map<string, string>();
  private readonly stores = new Map<string, OpenStore>();
  private readonly jobs = new Map<string, Job>();
  private lastOpened: string | null = null;
  private pendingFolder: StoreChoice | null = null;
  private disposed = false;

  constructor(private readonly options: SessionOptions) {}

  // ---- grants -----------------------------------------------------------------------

  /** Grants a folder the user chose (dialog, drop, command line); returns its stores. */
  grantFolder(path: string): StoreChoice {
    const dir = canonical(path);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw notFound(`${path} is not a folder`);
    if (this.options.only && dir !== canonical(this.options.only.dir)) throw forbidden('this server serves one store only');
    let folderId = [...this.grants].find(([, d]) => d === dir)?.[0];
    if (!folderId) {
      folderId = randomUUID();
      this.grants.set(folderId, dir);
    }
    return { folderId, dir, stores: this.storesIn(dir) };
  }

  private storesIn(dir: string): string[] {
    const stores = listStores(dir);
    return this.options.only ? stores.filter((s) => s === this.options.only!.store) : stores;
  }

  private granted(folderId: string): string {
    const dir = this.grants.get(folderId);
    if (!dir) throw forbidden('unknown folder: open it first (folder chooser, drop, recent list or demo)');
    return dir;
  }

  /**
   * Opens what the app was asked to open from outside (command line, the OS, a second launch):
   * a folder (or a file in it). One store: opened, startup() returns it; several: startup()
   * offers the choice.
   */
  async openPath(path: string): Promise<StoreSummary | StoreChoice> {
    let dir = resolve(path);
    try {
      if (!statSync(dir).isDirectory()) dir = dirname(dir);
    } catch {
      throw notFound(`${path} does not exist`);
    }
    const choice = this.grantFolder(dir);
    if (choice.stores.length === 1) return this.openStore({ folderId: choice.folderId, store: choice.stores[0] });
    this.pendingFolder = choice;
    return choice;
  }

  // ---- the contract -------------------------------------------------------------------

  async startup(_args: Args<'startup'>): Promise<MethodResult<'startup'>> {
    const last = this.lastOpened ? this.stores.get(this.lastOpened) : undefined;
    let folder = this.pendingFolder;
    this.pendingFolder = null;
    // jrn serve with its store closed: offer it again (the page cannot choose folders).
    if (!last && !folder && this.options.only && !this.options.demo) folder = this.grantFolder(this.options.only.dir);
    return {
      transport: this.options.transport,
      recent: this.options.recent?.list() ?? [],
      canChooseFolder: Boolean(this.options.chooseFolder),
      demoAvailable: Boolean(this.options.demo),
      open: last ? this.toSummary(last, last.summary) : null,
      folder,
    };
  }

  async chooseFolder(_args: Args<'chooseFolder'>): Promise<StoreChoice | null> {
    if (!this.options.chooseFolder) throw forbidden('choosing folders is only possible in the desktop app');
    const path = await this.options.chooseFolder();
    return path === null ? null : this.grantFolder(path);
  }

  async listStores({ folderId }: Args<'listStores'>): Promise<StoreChoice> {
    const dir = this.granted(folderId);
    return { folderId, dir, stores: this.storesIn(dir) };
  }

  async openStore({ folderId, store }: Args<'openStore'>): Promise<StoreSummary> {
    const dir = this.granted(folderId);
    if (!this.storesIn(dir).includes(store)) throw notFound(`no store named "${store}" in ${dir}`);
    const summary = await this.open(dir, store, false);
    this.options.recent?.add(dir, store);
    return summary;
  }

  async openRecent({ recentId }: Args<'openRecent'>): Promise<StoreSummary> {
    const entry = this.options.recent?.get(recentId);
    if (!entry) throw notFound('unknown recent store');
    const choice = this.grantFolder(entry.dir);
    if (!choice.stores.includes(entry.store)) throw notFound(`the store "${entry.store}" is no longer in ${entry.dir}`);
    return this.openStore({ folderId: choice.folderId, store: entry.store });
  }

  async openDemo(_args: Args<'openDemo'>): Promise<StoreSummary> {
    const demo = this.options.demo;
    if (!demo) throw forbidden('the demo store is not available here');
    // Generated (first use only) in the index worker, off this thread.
    const { dir, store } = await demo.ensure((target, options) =>
      this.options.indexer.call({ op: 'generateDemo', dir: target, options: { seed: options.seed, end: options.end, days: options.days, events: options.events, vehicles: options.vehicles } }),
    );
    return this.open(dir, store, true);
  }

  async summary({ storeId }: Args<'summary'>): Promise<StoreSummary> {
    const open = this.get(storeId);
    open.summary = await this.options.indexer.call<SummaryJson>({ op: 'summary', handle: open.handle });
    return this.toSummary(open, open.summary);
  }

  generations(args: Args<'generations'>) {
    return this.query('generations', args);
  }
  stateAt(args: Args<'stateAt'>) {
    return this.query('stateAt', args);
  }
  getAt(args: Args<'getAt'>) {
    return this.query('getAt', args);
  }
  history(args: Args<'history'>) {
    return this.query('history', args);
  }
  diff(args: Args<'diff'>) {
    return this.query('diff', args);
  }
  changes(args: Args<'changes'>) {
    return this.query('changes', args);
  }
  histogram(args: Args<'histogram'>) {
    return this.query('histogram', args);
  }
  nextChange(args: Args<'nextChange'>) {
    return this.query('nextChange', args);
  }
  prevChange(args: Args<'prevChange'>) {
    return this.query('prevChange', args);
  }

  async verify({ storeId }: Args<'verify'>): Promise<MethodResult<'verify'>> {
    const open = this.get(storeId);
    const onProgress = throttledProgress((done, total) => this.emit('verifyProgress', { storeId, done, total }));
    const report = await this.options.indexer.call<Omit<MethodResult<'verify'>, 'incomplete'>>({ op: 'verify', dir: open.dir, store: open.store }, { onProgress });
    return { ok: report.ok, files: report.files, problems: report.problems, incomplete: open.summary.incomplete as MethodResult<'verify'>['incomplete'] };
  }

  async exportStart(args: Args<'exportStart'>): Promise<ExportJob> {
    const open = this.get(args.storeId);
    const jobId = randomUUID();
    const job: ExportJob = { jobId, state: 'running', done: 0, total: 0, path: null, error: null, downloadUrl: null };
    const entry: Job = { job, controller: new AbortController() };
    this.jobs.set(jobId, entry);
    const at = args.at ?? (open.summary.lastTimestamp as number | null) ?? 0;
    const suggested = defaultExportName(open.store, args.kind, args.format, args.kind === 'state' ? at : undefined);

    let out: string | null;
    if (this.options.exportDir) {
      if (args.format === 'journal') {
        this.finishJob(entry, { state: 'failed', error: 'a journal export writes a store folder, which cannot be downloaded: use the desktop app or jrn export' });
        return { ...job };
      }
      const dir = join(this.options.exportDir, jobId);
      mkdirSync(dir, { recursive: true });
      out = join(dir, suggested);
    } else if (this.options.chooseExportPath) {
      out = await this.options.chooseExportPath(suggested);
    } else {
      throw forbidden('exports are not available here');
    }
    if (out === null) {
      this.finishJob(entry, { state: 'cancelled' });
      return { ...job };
    }
    // The engine's exporters refuse an output inside the store folder (the job fails with why).
    const target = resolve(out);
    job.path = target;
    void this.options.indexer
      .call<ExportResult>(
        {
          op: 'export',
          handle: open.handle,
          request: { kind: args.kind, format: args.format, at: args.at, scope: args.scope, keyPrefix: args.keyPrefix, keySubstring: args.keySubstring, out: target },
        },
        {
          signal: entry.controller.signal,
          onProgress: (done, total) => {
            if (job.state !== 'running') return;
            job.done = done;
            job.total = total;
            this.emit('exportProgress', { ...job });
          },
        },
      )
      .then(
        (result) => {
          job.done = Math.max(job.done, result.rows);
          job.total = Math.max(job.total, job.done);
          this.finishJob(entry, { state: 'done', downloadUrl: this.options.downloadUrl?.(jobId) ?? null });
        },
        (err: unknown) => {
          const error = toApiError(err);
          if (error.code === 'cancelled' || entry.controller.signal.aborted) this.finishJob(entry, { state: 'cancelled' });
          else this.finishJob(entry, { state: 'failed', error: error.message });
        },
      );
    return { ...job };
  }

  private finishJob(entry: Job, change: Partial<ExportJob>): void {
    if (entry.job.state !== 'running') return;
    const next: ExportJob = { ...entry.job, ...change };
    if (next.state !== 'done') next.downloadUrl = null;
    Object.assign(entry.job, next);
    this.emit('exportProgress', { ...entry.job });
  }

  async exportStatus({ jobId }: Args<'exportStatus'>): Promise<ExportJob> {
    return { ...this.job(jobId).job };
  }

  async exportCancel({ jobId }: Args<'exportCancel'>): Promise<ExportJob> {
    const entry = this.job(jobId);
    if (entry.job.state === 'running') {
      entry.controller.abort();
      this.finishJob(entry, { state: 'cancelled' });
    }
    return { ...entry.job };
  }

  /** A finished export's file, for the HTTP download route (jrn serve). */
  exportFile(jobId: string): string | null {
    const entry = this.jobs.get(jobId);
    return entry && entry.job.state === 'done' ? entry.job.path : null;
  }

  async setFollow({ storeId, follow }: Args<'setFollow'>): Promise<StoreSummary> {
    const open = this.get(storeId);
    if (follow && !open.watcher) {
      this.startWatching(open);
      await this.refresh(open);
    } else if (!follow && open.watcher) {
      open.watcher.stop();
      open.watcher = null;
    }
    return this.toSummary(open, open.summary);
  }

  async setDemoWriter({ storeId, running }: Args<'setDemoWriter'>): Promise<{ running: boolean }> {
    const open = this.get(storeId);
    if (!open.isDemo || !this.options.demo) throw forbidden('only the demo store has a simulated writer');
    return { running: this.options.demo.setRunning(running) };
  }

  async closeStore({ storeId }: Args<'closeStore'>): Promise<{ closed: boolean }> {
    const open = this.stores.get(storeId);
    if (!open) return { closed: false };
    await this.close(open);
    return { closed: true };
  }

  // ---- internals --------------------------------------------------------------------

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (this.disposed) return;
    try {
      this.options.emit(event, payload);
    } catch {
      // a window or connection going away must not break the session
    }
  }

  private get(storeId: string): OpenStore {
    const open = this.stores.get(storeId);
    if (!open) throw notFound('the store is not open (closed, or opened in another window)');
    return open;
  }

  private job(jobId: string): Job {
    const entry = this.jobs.get(jobId);
    if (!entry) throw notFound('unknown export job');
    return entry;
  }

  /** A query on the store's index (in the index worker); values come back tagged. */
  private async query<M extends QueryMethod>(method: M, args: { storeId: string }): Promise<MethodResult<M>> {
    if (!(QUERY_METHODS as readonly string[]).includes(method)) throw new ApiFailure('not-found', method);
    const { storeId, ...rest } = args;
    const open = this.get(storeId);
    return this.options.indexer.call<MethodResult<M>>({ op: 'query', handle: open.handle, method, args: rest });
  }

  private toSummary(open: OpenStore, summary: SummaryJson): StoreSummary {
    return { ...(summary as unknown as StoreSummary), storeId: open.id, isDemo: open.isDemo, following: open.watcher !== null };
  }

  private async open(dir: string, store: string, isDemo: boolean): Promise<StoreSummary> {
    if (this.disposed) throw new ApiFailure('unavailable', 'the window is closing');
    const existing = [...this.stores.values()].find((s) => s.dir === dir && s.store === store);
    if (existing) {
      this.lastOpened = existing.id;
      return this.toSummary(existing, existing.summary);
    }
    const onProgress = throttledProgress((done, total) => this.emit('openProgress', { store, done, total }));
    const { handle, summary } = await this.options.indexer.call<OpenResult>({ op: 'open', dir, store }, { onProgress });
    const open: OpenStore = { id: randomUUID(), dir, store, isDemo, handle, summary, watcher: null, refreshing: null, again: false, closed: false };
    this.stores.set(open.id, open);
    this.lastOpened = open.id;
    if (isDemo) this.options.demo?.acquire();
    if (this.options.follow?.enabled ?? true) this.startWatching(open);
    return this.toSummary(open, summary);
  }

  private startWatching(open: OpenStore): void {
    open.watcher = new StoreWatcher(open.dir, open.store, () => void this.refresh(open), this.options.follow);
  }

  /** Picks up what changed on disk; overlapping calls coalesce into one more refresh. */
  refresh(open: OpenStore): Promise<void> {
    if (open.refreshing) {
      open.again = true;
      return open.refreshing;
    }
    open.refreshing = (async () => {
      do {
        open.again = false;
        if (open.closed) return;
        try {
          const r = await this.options.indexer.call<RefreshResultJson>({ op: 'refresh', handle: open.handle });
          if (open.closed) return;
          open.summary = r.summary;
          if (r.added > 0 || r.rotations > 0 || r.rebuilt) {
            this.emit('storeChanged', { storeId: open.id, summary: this.toSummary(open, r.summary), added: r.added, rotations: r.rotations });
          }
        } catch {
          // A refresh racing a rotation can fail on a file that just vanished: the next change
          // (or the poll) tries again.
        }
      } while (open.again);
    })().finally(() => {
      open.refreshing = null;
    });
    return open.refreshing;
  }

  /** Refreshes a store now (tests, and after a menu command). */
  async refreshNow(storeId: string): Promise<void> {
    await this.refresh(this.get(storeId));
  }

  private async close(open: OpenStore): Promise<void> {
    if (open.closed) return;
    open.closed = true;
    open.watcher?.stop();
    open.watcher = null;
    this.stores.delete(open.id);
    if (this.lastOpened === open.id) this.lastOpened = [...this.stores.keys()].pop() ?? null;
    if (open.isDemo) this.options.demo?.release();
    await this.options.indexer.call({ op: 'close', handle: open.handle }).catch(() => undefined);
  }

  /** Open store ids (diagnostics and tests). */
  get openStores(): string[] {
    return [...this.stores.keys()];
  }

  /** Frees everything: stops watchers and jobs, closes indexes, stops the index worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    for (const entry of this.jobs.values()) entry.controller.abort();
    for (const open of [...this.stores.values()]) await this.close(open);
    this.disposed = true;
    this.grants.clear();
    await this.options.indexer.close();
  }

  /** The demo's display name for the folder (for titles). */
  static title(summary: { dir: string; store: string }): string {
    return `${summary.store} — ${basename(summary.dir)}`;
  }
}

/** The dispatcher for a session (IPC and HTTP use this): queries are validated in the worker. */
export function sessionDispatch(session: Session): Dispatch {
  return createDispatch(session, { prevalidated: Session.prevalidated });
}
