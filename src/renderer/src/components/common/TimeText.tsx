import { formatTime } from '../../format/time';
import { useApp } from '../../state/appStore';

/** A timestamp in the chosen zone, with the raw µs in the tooltip. */
export function TimeText({ us, className }: { us: number | null; className?: string }) {
  const tz = useApp((s) => s.tz);
  if (us === null) return <span className={className}>—</span>;
  return (
    <time className={`time ${className ?? ''}`} title={`${us} µs`} data-us={us}>
      {formatTime(us, tz)}
    </time>
  );
}
