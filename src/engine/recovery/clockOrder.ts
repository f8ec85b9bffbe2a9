import { problem, type Problem } from '../format/problems';
import type { ScannedGeneration } from './scanGeneration';

/**
 * A writer clamps its clock, so new writes never go back in time. A file whose new writes do
 * (a broken or foreign writer) is read as that clamp would have written it: each such write
 * takes the latest earlier timestamp (as the timeline index does), and the file gets one
 * warning. Restated frames, before `firstNewWrite`, keep their timestamps: unsorted by design.
 */
export function clampedTimestamps(s: ScannedGeneration, firstNewWrite: number, latestRead: number | null): { timestamps: number[]; problem?: Problem } {
  const timestamps = s.timestamps.slice();
  let floor = latestRead ?? -Infinity;
  let late = 0;
  let first = -1;
  for (let i = firstNewWrite; i < timestamps.length; i++) {
    if (timestamps[i] < floor) {
      if (late++ === 0) first = i;
      timestamps[i] = floor;
    }
    floor = timestamps[i];
  }
  if (late === 0) return { timestamps };
  return {
    timestamps,
    problem: problem(
      s.path,
      s.frameStarts[first],
      'timestamp-out-of-order',
      `${late} write(s) are older than a write before them (first: ${s.timestamps[first]}); each is ordered at the latest earlier timestamp`,
      'warning',
    ),
  };
}
