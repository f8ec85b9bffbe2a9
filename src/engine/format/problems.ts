/**
 * Every problem a reader finds is data: which file, at which byte offset, and why. Readers
 * never throw on bad bytes; they stop (or, when salvaging, skip) and report.
 */
export type ProblemReason =
  | 'truncated-header'
  | 'unknown-version'
  | 'position-out-of-range'
  | 'zero-length'
  | 'varint-too-long'
  | 'length-past-end'
  | 'truncated-frame'
  | 'frame-too-short'
  | 'crc-mismatch'
  | 'malformed-frame'
  | 'bad-utf8-key'
  | 'timestamp-too-large'
  | 'unknown-scope'
  | 'bad-payload'
  | 'not-zlib'
  | 'inflated-too-large'
  | 'unreadable-file'
  | 'missing-generation'
  | 'uncompressed-archive'
  | 'incomplete-generation'
  | 'prefix-mismatch'
  | 'skipped-bytes'
  | 'timestamp-out-of-order';

export type Severity = 'error' | 'warning';

export interface Problem {
  file: string;
  /** Byte offset in the file (in the inflated bytes, for an archive); -1 when not about bytes. */
  offset: number;
  reason: ProblemReason;
  severity: Severity;
  message: string;
}

export function problem(
  file: string,
  offset: number,
  reason: ProblemReason,
  message: string,
  severity: Severity = 'error',
): Problem {
  return { file, offset, reason, severity, message };
}

export function formatProblem(p: Problem): string {
  const at = p.offset >= 0 ? ` at offset ${p.offset}` : '';
  return `${p.file}${at}: ${p.reason}: ${p.message}`;
}
