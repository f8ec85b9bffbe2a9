// Timestamps are µs since the Unix epoch (integers up to 2^53). Shown as ISO-8601 with six
// fraction digits, in UTC or in the local zone with its offset.

export type TimeZoneMode = 'utc' | 'local';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function splitMicros(us: number): { ms: number; micros: number } {
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  return { ms: (us - micros) / 1000, micros };
}

function offsetText(minutesEast: number): string {
  const sign = minutesEast >= 0 ? '+' : '-';
  const abs = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Full precision: 2024-01-01T00:00:00.000000Z, or …+01:00 in local time. */
export function formatTime(us: number, tz: TimeZoneMode): string {
  const { ms, micros } = splitMicros(us);
  const d = new Date(ms);
  const frac = pad(micros, 6);
  if (tz === 'utc') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac}Z`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}${offsetText(-d.getTimezoneOffset())}`;
}

/** Compact label for an axis tick, precise enough for the visible span. */
export function formatTick(us: number, tz: TimeZoneMode, spanUs: number): string {
  const full = formatTime(us, tz);
  const date = full.slice(0, 10);
  const clock = full.slice(11, 19);
  const frac = full.slice(20, 26);
  if (spanUs >= 3 * 86_400_000_000) return date;
  if (spanUs >= 120_000_000) return `${date.slice(5)} ${clock.slice(0, 5)}`;
  if (spanUs >= 5_000_000) return clock;
  if (spanUs >= 5_000) return `${clock}.${frac.slice(0, 3)}`;
  return `${clock.slice(3)}.${frac}`;
}

export type ParseResult = { ok: true; us: number } | { ok: false; error: string };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads a time typed by the user: a µs integer, or ISO-8601 up to µs precision. Without a
 * zone, an ISO time is read in `tz`.
 */
export function parseTime(text: string, tz: TimeZoneMode): ParseResult {
  const s = text.trim();
  if (s === '') return { ok: false, error: 'enter a time' };
  if (/^\d+$/.test(s)) {
    const us = Number(s);
    if (!Number.isSafeInteger(us)) return { ok: false, error: 'µs value is too large' };
    return { ok: true, us };
  }
  const m = ISO.exec(s);
  if (!m) return { ok: false, error: 'expected ISO-8601 (2024-01-01T00:00:00.000001Z) or µs since the epoch' };
  const [, y, mo, d, h = '0', mi = '0', sec = '0', fracRaw = '', zone] = m;
  const fracDigits = fracRaw.padEnd(9, '0');
  if (/[1-9]/.test(fracDigits.slice(6))) return { ok: false, error: 'precision is 1 µs (at most 6 fraction digits)' };
  const micros = Number(fracDigits.slice(0, 6));
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)] as const;
  let ms: number;
  if (zone === undefined ? tz === 'utc' : true) {
    ms = Date.UTC(...parts);
    const check = new Date(ms);
    if (check.getUTCMonth() !== parts[1] || check.getUTCDate() !== parts[2] || check.getUTCHours() !== parts[3] || parts[4] > 59 || parts[5] > 59) {
      return { ok: false, error: 'no such date or time' };
    }
    if (zone && zone.toUpperCase() !== 'Z') {
      const z = zone.replace(':', '');
      const sign = z[0] === '-' ? -1 : 1;
      const zh = Number(z.slice(1, 3));
      const zm = z.length > 3 ? Number(z.slice(3, 5)) : 0;
      if (zh > 23 || zm > 59) return { ok: false, error: 'bad zone offset' };
      ms -= sign * (zh * 60 + zm) * 60_000;
    }
  } else {
    const local = new Date(...parts);
    if (local.getMonth() !== parts[1] || local.getDate() !== parts[2] || parts[4] > 59 || parts[5] > 59) {
      return { ok: false, error: 'no such date or time' };
    }
    ms = local.getTime();
  }
  const us = ms * 1000 + micros;
  if (!Number.isSafeInteger(us) || us < 0) return { ok: false, error: 'time is out of range (before 1970 or too far ahead)' };
  return { ok: true, us };
}
