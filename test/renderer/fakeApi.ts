// An in-memory JournalApi for component tests: the contract's semantics (state at T, history
// with tombstones, diff, changes, histogram, stepping) over a list of writes, with calls
// recorded and any method "held" so tests control the order in which answers arrive.
import type { EventName, EventPayload, JournalApi, MethodArgs, MethodName, MethodResult, WireValue } from '../../src/shared/api';
import type { ApiClient } from '../../src/renderer/src/api/types';

type Summary = MethodResult<'summary'>;
type Generation = Summary['generations'][number];
type VersionRow = MethodResult<'stateAt'>['rows'][number];
type Range = Summary['incomplete'][number];
type Problem = Summary['problems'][number];
type ExportJob = MethodResult<'exportStatus'>;

export interface FakeWrite {
  scope: number;
  key: string;
  ts: number;
  /** null = delete */
  value: WireValue | null;
}

export interface FakeOptions {
  writes: FakeWrite[];
  store?: string;
  dir?: string;
  transport?: 'electron' | 'http';
  /** startup() already has the store open (like `jrn serve`). */
  open?: boolean;
  incomplete?: Range[];
  problems?: Problem[];
  generations?: Generation[];
  recent?: MethodResult<'startup'>['recent'];
  canChooseFolder?: boolean;
  demoAvailable?: boolean;
  /** What chooseFolder() answers. */
  choice?: MethodResult<'listStores'> | null;
  /** history() returns at most this many versions whatever the limit asked (a key with very many). */
  historyCap?: number;
}

interface Pending {
  method: MethodName;
  args: unknown;
  run: () => void;
}

export const T0 = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z
export const SEC = 1_000_000;

const s = (v: string): WireValue => ({ string: v });

/** A small store: 1 = FeatureFlag, 2 = GlobalState, with an overwrite, a delete, a re-create. */
export function smallWrites(): FakeWrite[] {
  return [
    { scope: 1, key: 'flag_a', ts: T0, value: s('on') },
    { scope: 2, key: 'user.name', ts: T0 + SEC, value: s('alice') },
    { scope: 2, key: 'count', ts: T0 + 2 * SEC, value: { int: '42' } },
    { scope: 2, key: 'config', ts: T0 + 3 * SEC, value: s('{"retries":3,"hosts":["a","b"]}') },
    { scope: 1, key: 'flag_a', ts: T0 + 4 * SEC, value: s('off') },
    { scope: 2, key: 'count', ts: T0 + 5 * SEC, value: null },
    { scope: 2, key: 'count', ts: T0 + 6 * SEC, value: { int: '7' } },
    { scope: 2, key: 'ratio', ts: T0 + 6 * SEC, value: { double: 0.5 } },
  ];
}

/** n keys written once each, 1 ms apart: key_00000 … */
export function manyWrites(n: number): FakeWrite[] {
  return Array.from({ length: n }, (_, i) => ({ scope: 2, key: `key_${String(i).padStart(5, '0')}`, ts: T0 + i * 1000, value: { int: String(i) } }));
}

const keyId = (scope: number, key: string) => `${scope}\u0000${key}`;
const cmpKey = (a: { scope: number; key: string }, b: { scope: number; key: string }) => a.scope - b.scope || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class FakeJournalApi implements JournalApi {
  readonly calls: { method: MethodName; args: unknown }[] = [];
  private readonly held = new Set<MethodName>();
  private readonly pendingCalls: Pending[] = [];
  private readonly failing = new Map<MethodName, string>();
  private readonly chains = new Map<string, VersionRow[]>();
  private readonly writes: (FakeWrite & { superseded: boolean })[];
  private following = false;
  private jobs = new Map<string, ExportJob>();
  readonly storeId = 'store-1';

  constructor(private readonly options: FakeOptions) {
    this.writes = options.writes.map((w, i) => ({
      ...w,
      superseded: options.writes.slice(i + 1).some((o) => o.scope === w.scope && o.key === w.key && o.ts === w.ts),
    }));
    for (const w of this.writes) {
      if (w.superseded) continue;
      const id = keyId(w.scope, w.key);
      const chain = this.chains.get(id) ?? [];
      const prev = chain[chain.length - 1];
      if (prev) prev.validTo = w.ts;
      chain.push({ scope: w.scope, key: w.key, value: w.value, validFrom: w.ts, validTo: null });
      this.chains.set(id, chain);
    }
  }

  // ---- test controls ----------------------------------------------------------------

  /** Calls to `method` wait until released. */
  hold(method: MethodName): void {
    this.held.add(method);
  }

  pending(method?: MethodName): Pending[] {
    return this.pendingCalls.filter((p) => method === undefined || p.method === method);
  }

  /** Answers the held calls that match (all by default), in the order given by `order`. */
  release(match: (p: Pending) => boolean = () => true): number {
    const now = this.pendingCalls.filter(match);
    for (const p of now) this.pendingCalls.splice(this.pendingCalls.indexOf(p), 1);
    for (const p of now) p.run();
    return now.length;
  }

  unhold(method: MethodName): void {
    this.held.delete(method);
    this.release((p) => p.method === method);
  }

  /** Calls to `method` fail with this message (until cleared with null). */
  fail(method: MethodName, message: string | null): void {
    if (message === null) this.failing.delete(method);
    else this.failing.set(method, message);
  }

  callsOf<M extends MethodName>(method: M): MethodArgs<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);
  }

  /** Moves an export job along (as the server's worker would). */
  progressExport(jobId: string, patch: Partial<ExportJob>): ExportJob {
    const job = { ...this.jobs.get(jobId)!, ...patch };
    this.jobs.set(jobId, job);
    return job;
  }

  private call<M extends MethodName>(method: M, args: unknown, compute: () => MethodResult<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, args });
    return new Promise((resolve, reject) => {
      const run = () => {
        const failure = this.failing.get(method);
        if (failure) {
          reject(new Error(`query: ${failure}`));
          return;
        }
        try {
          resolve(structuredClone(compute()));
        } catch (err) {
          reject(err);
        }
      };
      if (this.held.has(method)) this.pendingCalls.push({ method, args, run });
      else queueMicrotask(run);
    });
  }

  // ---- semantics ----------------------------------------------------------------------

  private versionAt(chain: VersionRow[], t: number): VersionRow | null {
    let found: VersionRow | null = null;
    for (const v of chain) if (v.validFrom <= t) found = v;
    return found;
  }

  private completenessAt(t: number) {
    const incomplete = (this.options.incomplete ?? []).filter((r) => (r.from === null || t >= r.from) && (r.to === null || t < r.to));
    return { complete: incomplete.length === 0, incomplete };
  }

  private completenessOver(from: number | null, to: number | null) {
    const incomplete = (this.options.incomplete ?? []).filter(
      (r) => (r.from === null || to === null || r.from <= to) && (r.to === null || from === null || r.to > from),
    );
    return { complete: incomplete.length === 0, incomplete };
  }

  private matches(scope: number, key: string, f: { scope?: number; keyPrefix?: string; keySubstring?: string }): boolean {
    if (f.scope !== undefined && scope !== f.scope) return false;
    if (f.keyPrefix && !key.startsWith(f.keyPrefix)) return false;
    if (f.keySubstring && !key.includes(f.keySubstring)) return false;
    return true;
  }

  private liveAt(t: number): VersionRow[] {
    const rows: VersionRow[] = [];
    for (const chain of this.chains.values()) {
      const v = this.versionAt(chain, t);
      if (v && v.value !== null) rows.push(v);
    }
    return rows.sort(cmpKey);
  }

  private timestamps(): number[] {
    return [...new Set(this.writes.map((w) => w.ts))].sort((a, b) => a - b);
  }

  private generationList(): Generation[] {
    if (this.options.generations) return this.options.generations;
    const ts = this.timestamps();
    return [
      {
        generation: 0,
        inferred: false,
        file: `${this.dir}/${this.store}.jrn.0`,
        relativePath: `${this.store}.jrn.0`,
        kind: 'journal',
        active: true,
        layout: { headerVariant: 'v17', payloadLayout: 'state-value', inSnapshots: false },
        compressedSize: null,
        rawSize: 4096,
        position: 400,
        frames: this.writes.length,
        restated: 0,
        writes: this.writes.length,
        firstWrite: ts[0] ?? null,
        lastWrite: ts[ts.length - 1] ?? null,
        rotatedAt: null,
        prefixVerified: false,
        gapBefore: false,
        problems: [],
      },
    ];
  }

  private get store() {
    return this.options.store ?? 'small';
  }

  private get dir() {
    return this.options.dir ?? '/stores/small';
  }

  summaryNow(): Summary {
    const ts = this.timestamps();
    let versions = 0;
    for (const c of this.chains.values()) versions += c.length;
    const startGap = (this.options.incomplete ?? []).find((r) => r.from === null);
    return {
      storeId: this.storeId,
      dir: this.dir,
      store: this.store,
      isDemo: false,
      generations: this.generationList(),
      keys: this.chains.size,
      versions,
      firstTimestamp: ts[0] ?? null,
      lastTimestamp: ts[ts.length - 1] ?? null,
      knownFrom: startGap ? startGap.to : null,
      incomplete: this.options.incomplete ?? [],
      problems: this.options.problems ?? [],
      indexBytes: 1024,
      following: this.following,
    };
  }

  // ---- the contract -------------------------------------------------------------------

  startup(args: MethodArgs<'startup'>) {
    return this.call('startup', args, () => ({
      transport: this.options.transport ?? 'http',
      recent: this.options.recent ?? [],
      canChooseFolder: this.options.canChooseFolder ?? false,
      demoAvailable: this.options.demoAvailable ?? false,
      open: this.options.open === false ? null : this.summaryNow(),
      folder: null,
    }));
  }

  chooseFolder(args: MethodArgs<'chooseFolder'>) {
    return this.call('chooseFolder', args, () => this.options.choice ?? null);
  }

  listStores(args: MethodArgs<'listStores'>) {
    return this.call('listStores', args, () => this.options.choice ?? { folderId: args.folderId, dir: this.dir, stores: [this.store] });
  }

  openStore(args: MethodArgs<'openStore'>) {
    return this.call('openStore', args, () => this.summaryNow());
  }

  openRecent(args: MethodArgs<'openRecent'>) {
    return this.call('openRecent', args, () => this.summaryNow());
  }

  openDemo(args: MethodArgs<'openDemo'>) {
    return this.call('openDemo', args, () => ({ ...this.summaryNow(), isDemo: true }));
  }

  summary(args: MethodArgs<'summary'>) {
    return this.call('summary', args, () => this.summaryNow());
  }

  generations(args: MethodArgs<'generations'>) {
    return this.call('generations', args, () => this.generationList());
  }

  stateAt(args: MethodArgs<'stateAt'>) {
    return this.call('stateAt', args, () => {
      let rows = this.liveAt(args.at).filter((r) => this.matches(r.scope, r.key, args));
      // As the engine: by validFrom (ties by key, ascending), or by (scope, key).
      const desc = args.order === 'desc';
      if (args.sort === 'validFrom') rows = rows.sort((a, b) => (desc ? b.validFrom - a.validFrom : a.validFrom - b.validFrom) || cmpKey(a, b));
      else if (desc) rows.reverse();
      const offset = args.offset ?? 0;
      const limit = args.limit ?? 100;
      return { at: args.at, total: rows.length, offset, rows: rows.slice(offset, offset + limit), ...this.completenessAt(args.at) };
    });
  }

  getAt(args: MethodArgs<'getAt'>) {
    return this.call('getAt', args, () => {
      const v = this.versionAt(this.chains.get(keyId(args.scope, args.key)) ?? [], args.at);
      return { version: v && v.value !== null ? v : null, ...this.completenessAt(args.at) };
    });
  }

  history(args: MethodArgs<'history'>) {
    return this.call('history', args, () => {
      const from = args.from ?? null;
      const to = args.to ?? null;
      if (from !== null && to !== null && from > to) throw new Error(`query: from (${from}) is after to (${to})`);
      let versions = (this.chains.get(keyId(args.scope, args.key)) ?? []).filter(
        (v) => (to === null || v.validFrom <= to) && (from === null || v.validTo === null || v.validTo > from),
      );
      if (!args.tombstones) versions = versions.filter((v) => v.value !== null);
      if (args.order === 'desc') versions = [...versions].reverse();
      const limit = Math.min(args.limit ?? versions.length, this.options.historyCap ?? versions.length);
      return { versions: versions.slice(0, limit), total: versions.length, ...this.completenessOver(from, to) };
    });
  }

  diff(args: MethodArgs<'diff'>) {
    return this.call('diff', args, () => {
      type Entry = MethodResult<'diff'>['entries'][number];
      const entries: Entry[] = [];
      for (const chain of this.chains.values()) {
        const { scope, key } = chain[0];
        if (!this.matches(scope, key, args)) continue;
        const b0 = this.versionAt(chain, args.from);
        const a0 = this.versionAt(chain, args.to);
        const before = b0 && b0.value !== null ? b0 : null;
        const after = a0 && a0.value !== null ? a0 : null;
        if (!before && after) entries.push({ kind: 'added', scope, key, before, after });
        else if (before && !after) entries.push({ kind: 'removed', scope, key, before, after });
        else if (before && after && before.validFrom !== after.validFrom) {
          const same = JSON.stringify(before.value) === JSON.stringify(after.value);
          if (!same) entries.push({ kind: 'changed', scope, key, before, after });
          else if (args.includeRewritten) entries.push({ kind: 'rewritten', scope, key, before, after });
        }
      }
      entries.sort(cmpKey);
      const count = (k: Entry['kind']) => entries.filter((e) => e.kind === k).length;
      const offset = args.offset ?? 0;
      return {
        from: args.from,
        to: args.to,
        total: entries.length,
        counts: { added: count('added'), removed: count('removed'), changed: count('changed'), rewritten: count('rewritten') },
        entries: entries.slice(offset, offset + (args.limit ?? 100)),
        ...this.completenessOver(args.from, args.to),
      };
    });
  }

  changes(args: MethodArgs<'changes'>) {
    return this.call('changes', args, () => {
      const all = this.writes.filter((w) => (args.from === null || w.ts >= args.from) && (args.to === null || w.ts <= args.to));
      const offset = args.offset ?? 0;
      return {
        total: all.length,
        offset,
        writes: all.slice(offset, offset + (args.limit ?? 100)).map((w, i) => ({
          scope: w.scope,
          key: w.key,
          timestamp: w.ts,
          value: w.value,
          superseded: w.superseded,
          generation: 0,
          fileOffset: 17 + i * 24,
        })),
        ...this.completenessOver(args.from, args.to),
      };
    });
  }

  histogram(args: MethodArgs<'histogram'>) {
    return this.call('histogram', args, () => {
      const width = Math.max(1, (args.to - args.from + 1) / args.bins);
      return Array.from({ length: args.bins }, (_, b) => {
        const from = args.from + Math.floor(b * width);
        const end = b === args.bins - 1 ? args.to + 1 : args.from + Math.floor((b + 1) * width);
        const inBin = this.writes.filter((w) => w.ts >= from && w.ts < end);
        return {
          from,
          to: b === args.bins - 1 ? args.to : end,
          writes: inBin.filter((w) => w.value !== null).length,
          deletes: inBin.filter((w) => w.value === null).length,
          liveAtEnd: this.liveAt(end - 1).length,
        };
      });
    });
  }

  nextChange(args: MethodArgs<'nextChange'>) {
    return this.call('nextChange', args, () => {
      const ts = args.target ? (this.chains.get(keyId(args.target.scope, args.target.key)) ?? []).map((v) => v.validFrom) : this.timestamps();
      return ts.find((t) => t > args.at) ?? null;
    });
  }

  prevChange(args: MethodArgs<'prevChange'>) {
    return this.call('prevChange', args, () => {
      const ts = args.target ? (this.chains.get(keyId(args.target.scope, args.target.key)) ?? []).map((v) => v.validFrom) : this.timestamps();
      return [...ts].reverse().find((t) => t < args.at) ?? null;
    });
  }

  verify(args: MethodArgs<'verify'>) {
    return this.call('verify', args, () => {
      const problems = this.options.problems ?? [];
      return {
        ok: problems.length === 0,
        files: this.generationList().map((g) => ({ file: g.file, frames: g.frames, problems: problems.filter((p) => p.file === g.file) })),
        problems,
        incomplete: this.options.incomplete ?? [],
      };
    });
  }

  exportStart(args: MethodArgs<'exportStart'>) {
    return this.call('exportStart', args, () => {
      const jobId = `job-${this.jobs.size + 1}`;
      const total = args.kind === 'state' ? this.liveAt(args.at ?? Number.MAX_SAFE_INTEGER).length : this.writes.length;
      const job: ExportJob = { jobId, state: 'running', done: 0, total, path: null, error: null, downloadUrl: null };
      this.jobs.set(jobId, job);
      return job;
    });
  }

  exportStatus(args: MethodArgs<'exportStatus'>) {
    return this.call('exportStatus', args, () => this.jobs.get(args.jobId)!);
  }

  exportCancel(args: MethodArgs<'exportCancel'>) {
    return this.call('exportCancel', args, () => this.progressExport(args.jobId, { state: 'cancelled' }));
  }

  setFollow(args: MethodArgs<'setFollow'>) {
    return this.call('setFollow', args, () => {
      this.following = args.follow;
      return this.summaryNow();
    });
  }

  setDemoWriter(args: MethodArgs<'setDemoWriter'>) {
    return this.call('setDemoWriter', args, () => ({ running: args.running }));
  }

  closeStore(args: MethodArgs<'closeStore'>) {
    return this.call('closeStore', args, () => ({ closed: true }));
  }
}

/** The fake as the renderer's ApiClient, with `emit` to push events. */
export function fakeClient(api: FakeJournalApi, transport: 'electron' | 'http' = 'http') {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const client: ApiClient & { emit<E extends EventName>(event: E, payload: EventPayload<E>): void } = {
    api,
    transport,
    on(event, cb) {
      const set = listeners.get(event) ?? new Set();
      set.add(cb as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(cb as (payload: never) => void);
    },
    dropFolder: null,
    downloadHref: (url) => url,
    emit(event, payload) {
      for (const cb of listeners.get(event) ?? []) (cb as (p: typeof payload) => void)(payload);
    },
  };
  return client;
}
