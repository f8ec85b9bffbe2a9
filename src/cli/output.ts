import { toTagged } from '../engine/format/taggedJson';
import { scopeName } from '../engine/format/scopes';
import type { StateValue } from '../engine/format/value';
import type { Completeness, IncompleteRange, VersionRow } from '../engine/timeline';
import { valueText } from '../engine/export/encode';
import type { CliIo } from './context';
import { isoTimestamp, showTimestamp } from './time';

/**
 * Buffered standard output: text is gathered and handed to the process in chunks; when the
 * stream asks to wait (a slow pipe), `line` waits for it to drain, so printing a huge state
 * keeps memory flat.
 */
export class Output {
  private buffer = '';
  constructor(private readonly io: CliIo) {}

  async line(text: string): Promise<void> {
    this.buffer += text + '\n';
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buffer) return;
    const text = this.buffer;
    this.buffer = '';
    this.io.stdout(text);
    const stream = this.io.stdoutStream as (NodeJS.WritableStream & { writableNeedDrain?: boolean }) | undefined;
    if (stream?.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
}

/**
 * The items of a JSON array, one per line (`{…}` then `]}` closes the document the caller
 * opened): a huge answer streams out line by line and stays valid JSON.
 */
export class JsonLines {
  private pending: string | null = null;
  constructor(private readonly out: Output) {}

  async item(value: unknown): Promise<void> {
    if (this.pending !== null) await this.out.line(this.pending + ',');
    this.pending = JSON.stringify(value);
  }

  async end(closing: string): Promise<void> {
    if (this.pending !== null) await this.out.line(this.pending);
    this.pending = null;
    await this.out.line(closing);
  }
}

/** A version as the JSON output shows it: `{scope, key, value, validFrom, validTo}` (value tagged, null for a tombstone). */
export function rowJson(row: VersionRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    scope: row.scope,
    key: row.key,
    value: row.value === null ? null : toTagged(row.value),
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
  if (row.valueError !== undefined) out.valueError = row.valueError;
  return out;
}

/** A version without its key: `{value, validFrom, validTo}`. */
export function versionJson(row: VersionRow): Record<string, unknown> {
  const out: Record<string, unknown> = { value: row.value === null ? null : toTagged(row.value), validFrom: row.validFrom, validTo: row.validTo };
  if (row.valueError !== undefined) out.valueError = row.valueError;
  return out;
}

/** A value for people: strings quoted (so "" and spaces show), other types as typed text. */
export function humanValue(value: StateValue | null, error?: string): string {
  if (error !== undefined) return `<undecodable: ${error}>`;
  if (value === null) return '(deleted)';
  if (value.kind === 'string') return JSON.stringify(value.value);
  if (value.kind === 'bytes') return `base64:${valueText(value)}`;
  return valueText(value);
}

export function humanType(row: VersionRow): string {
  if (row.valueError !== undefined) return 'invalid';
  return row.value === null ? 'delete' : row.value.kind;
}

export function humanScope(scope: number): string {
  const name = scopeName(scope);
  return name.startsWith('scope ') ? String(scope) : `${scope} ${name}`;
}

/** Aligned columns; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

export function rangeText(r: IncompleteRange): string {
  const from = r.from === null ? 'the beginning' : isoTimestamp(r.from);
  const to = r.to === null ? 'now' : isoTimestamp(r.to);
  return `[${from}, ${to}): ${r.detail || r.reason}`;
}

/** Human output: a warning on stderr when an answer falls where history is not fully known. */
export function warnIncomplete(io: CliIo, c: Completeness, what = 'this answer'): void {
  if (c.complete) return;
  io.stderr(`jrn: warning: ${what} falls in incomplete history and may be wrong or partial:\n`);
  for (const r of c.incomplete) io.stderr(`  ${rangeText(r)}\n`);
}

export { showTimestamp, isoTimestamp };
