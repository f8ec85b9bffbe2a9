import type { VersionRow } from '../../api/types';
import { formatTime, type TimeZoneMode } from '../../format/time';

const MAX_BARS = 2000;

/**
 * Each version's validity interval as a bar across the key's lifetime; tombstones are gaps
 * (with a tick where the delete happened). Click a bar to move the cursor there.
 */
export function VersionGantt({
  versions,
  end,
  at,
  tz,
  onPick,
}: {
  versions: VersionRow[];
  end: number;
  at: number | null;
  tz: TimeZoneMode;
  onPick(t: number): void;
}) {
  if (versions.length === 0) return null;
  const from = versions[0].validFrom;
  const lastFrom = versions[versions.length - 1].validFrom;
  const span = Math.max(end, lastFrom) - from;
  // Room after the last version, so a final delete shows as a gap.
  const to = Math.max(end, lastFrom) + Math.max(1, Math.round(span * 0.06));
  const x = (t: number) => ((t - from) / (to - from)) * 100;
  const shown = versions.length > MAX_BARS ? versions.slice(versions.length - MAX_BARS) : versions;
  return (
    <div className="gantt" data-testid="version-gantt">
      <svg viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label="Validity of each version">
        {shown.map((v, i) => {
          const x1 = x(v.validFrom);
          const x2 = x(v.validTo ?? to);
          if (v.value === null && !v.valueError) {
            return (
              <rect key={i} className="gantt-tomb" x={x1} y={1} width={0.6} height={18} data-testid="gantt-tombstone" onClick={() => onPick(v.validFrom)}>
                <title>{`deleted ${formatTime(v.validFrom, tz)}`}</title>
              </rect>
            );
          }
          return (
            <rect
              key={i}
              className={`gantt-bar ${i % 2 ? 'alt' : ''} ${at !== null && v.validFrom <= at && (v.validTo === null || at < v.validTo) ? 'current' : ''}`}
              x={x1}
              y={4}
              width={Math.max(0.3, x2 - x1)}
              height={12}
              onClick={() => onPick(v.validFrom)}
              data-testid="gantt-bar"
            >
              <title>{`${formatTime(v.validFrom, tz)} → ${v.validTo === null ? 'now' : formatTime(v.validTo, tz)}`}</title>
            </rect>
          );
        })}
        {at !== null && at >= from && at <= to && <line className="gantt-cursor" x1={x(at)} x2={x(at)} y1={0} y2={20} vectorEffect="non-scaling-stroke" />}
      </svg>
      <div className="gantt-axis">
        <span>{formatTime(from, tz)}</span>
        <span>{formatTime(Math.max(end, lastFrom), tz)}</span>
      </div>
      {shown.length < versions.length && <div className="muted">Showing the last {MAX_BARS} of {versions.length} versions.</div>}
    </div>
  );
}
