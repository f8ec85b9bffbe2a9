import type { IncompleteRange } from '../../api/types';
import { incompleteMessages } from '../../format/completeness';

/** The mark on every answer with complete=false: what is unknown here, and why. */
export function IncompleteNote({ ranges, what }: { ranges: IncompleteRange[]; what?: string }) {
  if (ranges.length === 0) return null;
  return (
    <div className="note note-warn" role="status" data-testid="incomplete-note">
      <strong>{what ?? 'Unknown state'}</strong>
      {incompleteMessages(ranges).map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}
