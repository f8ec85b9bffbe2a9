import { isoMicros } from '../engine/export/encode';
import { UsageError } from './context';

/** Largest µs timestamp a JavaScript number holds exactly (about the year 2255). */
const MAX_TS = Number.MAX_SAFE_INTEGER;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses a timestamp given on the command line or in a script: µs since the Unix epoch as an
 * integer (1704067207123456), or ISO-8601 with a zone: 2024-01-01T00:00:07.123456Z,
 * 2024-01-01T01:00:07+01:00 (seconds optional, fraction up to 6 digits). A time without a zone
 * is refused rather than guessed.
 */
export function parseTimestamp(text: string, what = 'timestamp'): number {
  const s = text.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n > MAX_TS) throw new UsageError(`bad ${what} "${text}": beyond 2^53 µs, not a timestamp this tool can represent exactly`);
    return n;
  }
  if (/^-\d+$/.test(s)) throw new UsageError(`bad ${what} "${text}": timestamps are µs since 1970-01-01T00:00:00Z and cannot be negative`);
  const m = ISO.exec(s);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new UsageError(`bad ${what} "${text}": give a time and a zone too, e.g. ${s}T00:00:00Z`);
    throw new UsageError(`bad ${what} "${text}": expected µs since the epoch (e.g. 1704067200000000) or ISO-8601 with a zone (e.g. 2024-01-01T00:00:07.123456Z)`);
  }
  const [, y, mo, d, h, mi, sec = '0', frac = '', z, sign, oh, om] = m;
  if (!z && !sign) throw new UsageError(`bad ${what} "${text}": no time zone; add Z for UTC (e.g. ${s}Z) or an offset like +01:00`);
  if (frac.length > 6) throw new UsageError(`bad ${what} "${text}": fractional seconds finer than microseconds`);
  const fields = { year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +sec };
  const ms = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== fields.year ||
    check.getUTCMonth() !== fields.month - 1 ||
    check.getUTCDate() !== fields.day ||
    check.getUTCHours() !== fields.hour ||
    check.getUTCMinutes() !== fields.minute ||
    check.getUTCSeconds() !== fields.second
  ) {
    throw new UsageError(`bad ${what} "${text}": not a valid date and time`);
  }
  let offsetMinutes = 0;
  if (sign) {
    if (+oh > 23 || +om > 59) throw new UsageError(`bad ${what} "${text}": bad zone offset`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (+oh * 60 + +om);
  }
  const us = (ms - offsetMinutes * 60_000) * 1000 + Number(frac.padEnd(6, '0') || '0');
  if (us < 0) throw new UsageError(`bad ${what} "${text}": before 1970-01-01T00:00:00Z (timestamps are µs since the epoch)`);
  if (us > MAX_TS) throw new UsageError(`bad ${what} "${text}": beyond 2^53 µs, not a timestamp this tool can represent exactly`);
  return us;
}

/** ISO-8601 UTC with microseconds when there are any: 2024-01-01T00:00:07.123456Z. */
export const isoTimestamp = isoMicros;

/** Both forms, for human output: `1704067207123456 (2024-01-01T00:00:07.123456Z)`. */
export function showTimestamp(us: number | null, open = '-'): string {
  return us === null ? open : `${us} (${isoMicros(us)})`;
}
