import { mkdirSync } from 'node:fs';
import { fromTagged } from '../../engine/format/taggedJson';
import type { HeaderVariant } from '../../engine/format/header';
import type { PersistentStoreConfig } from '../../engine/store/config';
import type { StoreLayout } from '../../engine/store/layout';
import { VersionedKVStore } from '../../engine/store/store';
import type { GrowthPolicy } from '../../engine/store/sizing';
import { TimelineIndex, type Completeness, type VersionRow } from '../../engine/timeline';
import { MAX_PAGE } from '../../engine/timeline/queries/stateAt';
import { parseScope } from '../args';
import { entryJson, fullDiff } from '../commands/diff';
import { rowJson, versionJson } from '../output';
import { parseTimestamp } from '../time';

export interface ScriptOptions {
  dir: string;
  /** Store NAME (default "store"). */
  name?: string;
  layout?: StoreLayout;
  headerVariant?: HeaderVariant;
  config?: Partial<PersistentStoreConfig>;
  /** Normalize the config as the design document says (default true); false = as given, like upstream. */
  normalize?: boolean;
  growth?: GrowthPolicy;
}

/** What one script line produced: the JSON line to print, and a warning for stderr. */
export interface LineResult {
  output: unknown;
  ok: boolean;
  warning?: string;
}

class LineError extends Error {}

type Op = Record<string, unknown>;

function field(op: Op, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(op, name) ? op[name] : undefined;
}

function scopeOf(op: Op): number {
  const s = field(op, 'scope');
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 0 || s > 255) throw new LineError(`"scope" must be an integer from 0 to 255, got ${s}`);
    return s;
  }
  if (typeof s === 'string') return parseScope(s, '"scope"');
  throw new LineError(`"scope" is missing (an integer from 0 to 255)`);
}

function keyOf(op: Op): string {
  const k = field(op, 'key');
  if (typeof k !== 'string') throw new LineError(`"key" must be a string`);
  return k;
}

/** A timestamp field: µs as a number, or a string (µs digits or ISO-8601 with a zone). */
function timeOf(op: Op, name: string, required: boolean): number | null {
  const t = field(op, name);
  if (t === undefined || t === null) {
    if (required) throw new LineError(`"${name}" is missing (µs since the epoch, or ISO-8601 with a zone)`);
    return null;
  }
  if (typeof t === 'number') {
    if (!Number.isSafeInteger(t) || t < 0) throw new LineError(`"${name}" must be a non-negative integer of µs, got ${t}`);
    return t;
  }
  if (typeof t === 'string') {
    try {
      return parseTimestamp(t, `"${name}"`);
    } catch (err) {
      throw new LineError((err as Error).message);
    }
  }
  throw new LineError(`"${name}" must be a number of µs or a timestamp string`);
}

/**
 * Runs `jrn script` lines against a store: writes go through VersionedKVStore with a clock the
 * script drives (each write's `ts`; the store clamps it to be non-decreasing, as the journal
 * does); queries are answered by a TimelineIndex over the same folder, refreshed before each
 * query (incremental: only new frames and generations are read), so every answer reflects
 * exactly what was written before it — through the files, as any reader would see them.
 */
export class ScriptRunner {
  private now = 0;
  private index: TimelineIndex | null = null;
  lineNumber = 0;

  private constructor(
    readonly store: VersionedKVStore,
    private readonly dir: string,
  ) {
    this.now = store.lastTimestamp;
  }

  static open(options: ScriptOptions): ScriptRunner {
    mkdirSync(options.dir, { recursive: true });
    let runner: ScriptRunner | null = null;
    const store = VersionedKVStore.open(options.dir, options.name ?? 'store', {
      layout: options.layout,
      headerVariant: options.headerVariant,
      config: options.config,
      normalize: options.normalize,
      growth: options.growth,
      clock: () => runner!.now,
    });
    runner = new ScriptRunner(store, options.dir);
    return runner;
  }

  /** Runs one line (blank lines and lines starting with # or // are skipped: undefined). */
  async run(line: string): Promise<LineResult | undefined> {
    this.lineNumber++;
    const text = line.trim();
    if (!text || text.startsWith('#') || text.startsWith('//')) return undefined;
    try {
      let op: unknown;
      try {
        op = JSON.parse(text);
      } catch (err) {
        throw new LineError(`not JSON: ${(err as Error).message}`);
      }
      if (typeof op !== 'object' || op === null || Array.isArray(op)) throw new LineError('a line must be a JSON object like {"op": "put", …}');
      return await this.apply(op as Op);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { output: { error: `line ${this.lineNumber}: ${message}` }, ok: false };
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async apply(op: Op): Promise<LineResult> {
    const name = field(op, 'op');
    switch (name) {
      case 'put': {
        const scope = scopeOf(op);
        const key = keyOf(op);
        const raw = field(op, 'value');
        if (raw === undefined || raw === null) throw new LineError('"value" is missing (a tagged value like {"string": "v"}; use "op": "delete" to delete)');
        let value;
        try {
          value = fromTagged(raw);
        } catch (err) {
          throw new LineError((err as Error).message);
        }
        this.tick(op);
        return { output: { ts: this.store.put(scope, key, value) }, ok: true };
      }
      case 'delete': {
        const scope = scopeOf(op);
        const key = keyOf(op);
        this.tick(op);
        return { output: { ts: this.store.delete(scope, key) }, ok: true };
      }
      case 'rotate': {
        const info = this.store.rotate();
        return { output: { generation: info.toGeneration }, ok: true };
      }
      case 'get': {
        const scope = scopeOf(op);
        const key = keyOf(op);
        const at = timeOf(op, 'at', true)!;
        const index = await this.fresh();
        const answer = index.getAt(scope, key, at);
        return this.answer(answer.version && versionJson(answer.version), answer);
      }
      case 'latest': {
        const scope = scopeOf(op);
        const key = keyOf(op);
        const index = await this.fresh();
        const answer = index.latest(scope, key);
        return this.answer(answer.version && versionJson(answer.version), answer);
      }
      case 'history': {
        const scope = scopeOf(op);
        const key = keyOf(op);
        const from = timeOf(op, 'from', false);
        const to = timeOf(op, 'to', false);
        const order = field(op, 'order') ?? 'asc';
        if (order !== 'asc' && order !== 'desc') throw new LineError(`"order" must be "asc" or "desc"`);
        const tombstones = field(op, 'tombstones') === true;
        const index = await this.fresh();
        const answer = index.history(scope, key, { from, to, order, tombstones });
        return this.answer(answer.versions.map(versionJson), answer);
      }
      case 'state': {
        const index = await this.fresh();
        const at = timeOf(op, 'at', false) ?? index.summary().lastTimestamp ?? 0;
        const filter = field(op, 'scope') === undefined ? {} : { scope: scopeOf(op) };
        const rows: VersionRow[] = [];
        let page = index.stateAt(at, { ...filter, limit: MAX_PAGE });
        rows.push(...page.rows);
        while (rows.length < page.total && page.rows.length) {
          page = index.stateAt(at, { ...filter, offset: rows.length, limit: MAX_PAGE });
          rows.push(...page.rows);
        }
        return this.answer(rows.map(rowJson), page);
      }
      case 'diff': {
        const from = timeOf(op, 'from', true)!;
        const to = timeOf(op, 'to', true)!;
        const includeRewritten = field(op, 'rewritten') === true;
        const index = await this.fresh();
        const result = fullDiff((offset) => index.diff(from, to, { includeRewritten, offset, limit: 10_000 }));
        return this.answer({ counts: result.counts, entries: result.entries.map(entryJson) }, result);
      }
      default:
        throw new LineError(
          name === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(name)} (expected put, delete, rotate, get, latest, history, state, diff)`,
        );
    }
  }

  /** A write's `ts` sets the clock; without one the clock stays where it is. */
  private tick(op: Op): void {
    const ts = timeOf(op, 'ts', false);
    this.now = ts ?? this.store.lastTimestamp;
  }

  private answer(output: unknown, c: Completeness): LineResult {
    if (c.complete) return { output, ok: true };
    const ranges = c.incomplete.map((r) => `[${r.from ?? 'start'}, ${r.to ?? 'now'}): ${r.detail || r.reason}`).join('; ');
    return { output, ok: true, warning: `line ${this.lineNumber}: the answer falls in incomplete history: ${ranges}` };
  }

  /** The index, caught up with everything written so far. */
  private async fresh(): Promise<TimelineIndex> {
    // Archiving runs in the background; waiting for it makes the folder settle, so the index
    // never sees a journal vanish mid-read (it would answer the same, but report a problem).
    await this.store.whenIdle();
    if (!this.index) {
      // The writer's format is known: no need to detect it from frames (which cannot be done
      // on a journal that has none yet).
      const { headerVariant, payloadLayout } = this.store.format;
      this.index = await TimelineIndex.open(this.dir, { store: this.store.name, headerVariant, payloadLayout });
    }
    else await this.index.refresh();
    return this.index;
  }
}
