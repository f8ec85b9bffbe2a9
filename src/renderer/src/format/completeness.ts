import type { IncompleteRange } from '../api/types';
import { formatTime, type TimeZoneMode } from './time';

const REASON_TEXT: Record<IncompleteRange['reason'], string> = {
  'before-oldest-generation': 'before the oldest generation kept',
  'after-newest-generation': 'after the newest generation read',
  'missing-generation': 'a generation is missing',
  'unreadable-file': 'a file cannot be read',
  'damaged-file': 'a file is damaged',
  'prefix-mismatch': "a generation's compacted prefix does not match the one before",
};

/** The reason in words: the server's detail, else a description of its code. */
export function reasonText(r: IncompleteRange): string {
  return r.detail || REASON_TEXT[r.reason] || r.reason;
}

/** "history incomplete here: <reason>" for each range that makes an answer unknown. */
export function incompleteMessages(ranges: IncompleteRange[]): string[] {
  return [...new Set(ranges.map((r) => `history incomplete here: ${reasonText(r)}`))];
}

export function rangeText(r: { from: number | null; to: number | null }, tz: TimeZoneMode): string {
  const from = r.from === null ? 'the beginning' : formatTime(r.from, tz);
  const to = r.to === null ? 'now' : formatTime(r.to, tz);
  return `${from} → ${to}`;
}

/** Ranges that contain t (from inclusive, to exclusive). */
export function rangesAt<R extends { from: number | null; to: number | null }>(ranges: R[], t: number): R[] {
  return ranges.filter((r) => (r.from === null || t >= r.from) && (r.to === null || t < r.to));
}
