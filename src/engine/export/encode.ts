import { toTagged } from '../format/taggedJson';
import type { StateValue } from '../format/value';
import type { VersionRow } from '../timeline/types';

/**
 * The flat, typed-text form of a value used by the CSV and Parquet exports, with its type:
 * string → the string; int → decimal (exact int64); double → shortest round-trip decimal,
 * or NaN, Infinity, -Infinity, -0; bool → true/false; bytes → base64; list and map → the
 * tagged JSON (as in the JSON exports). `CAST(value AS BIGINT|DOUBLE|BOOLEAN)` in SQL reads the
 * scalar types back.
 */
export function valueText(value: StateValue): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'double':
      return Object.is(value.value, -0) ? '-0' : String(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'list':
    case 'map':
      return JSON.stringify(toTagged(value));
  }
}

/** The `type` column: the value's kind, `invalid` for an undecodable payload, null for a tombstone. */
export function typeOf(row: VersionRow): string | null {
  if (row.value !== null) return row.value.kind;
  return row.valueError !== undefined ? 'invalid' : null;
}

/** µs since the epoch as ISO-8601 UTC with microseconds (fraction omitted when zero). */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  const base = new Date(ms).toISOString(); // …:SS.mmmZ
  if (micros === 0 && ms % 1000 === 0) return base.slice(0, 19) + 'Z';
  return `${base.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** One row as a JSON object (tagged value; null for a tombstone), as the CLI prints it. */
export function jsonRow(row: VersionRow): string {
  const value = row.value === null ? 'null' : JSON.stringify(toTagged(row.value));
  const error = row.valueError !== undefined ? `,"valueError":${JSON.stringify(row.valueError)}` : '';
  return `{"scope":${row.scope},"key":${JSON.stringify(row.key)},"value":${value},"validFrom":${row.validFrom},"validTo":${row.validTo ?? 'null'}${error}}`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a field holding a comma, quote or line break; quotes doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_STATE_COLUMNS = ['scope', 'key', 'type', 'value', 'validFrom', 'validTo', 'validFromIso', 'validToIso'];
export const CSV_HISTORY_COLUMNS = [...CSV_STATE_COLUMNS, 'deleted'];

/**
 * One CSV record (CRLF-terminated). A missing value (tombstone, open validTo) is an empty
 * field; an empty string value is written as `""`, so the two stay apart for readers that
 * tell them apart (DuckDB reads an unquoted empty field as NULL).
 */
export function csvRow(row: VersionRow, history: boolean): string {
  const type = typeOf(row);
  let value = '';
  if (row.value !== null) {
    const text = valueText(row.value);
    value = text === '' ? '""' : csvField(text);
  }
  const validTo = row.validTo === null ? '' : String(row.validTo);
  const validToIso = row.validTo === null ? '' : isoMicros(row.validTo);
  const key = row.key === '' ? '""' : csvField(row.key);
  const fields = `${row.scope},${key},${type ?? ''},${value},${row.validFrom},${validTo},${isoMicros(row.validFrom)},${validToIso}`;
  if (!history) return fields + '\r\n';
  return `${fields},${row.value === null && row.valueError === undefined ? 'true' : 'false'}\r\n`;
}
