import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { HistogramBin } from '../../api/types';
import { formatTime } from '../../format/time';
import { useApp } from '../../state/appStore';
import { fractionOf, type PlotBox } from './geometry';

function binAt(bins: HistogramBin[], t: number): HistogramBin | undefined {
  let lo = 0;
  let hi = bins.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (bins[mid].to <= t && mid < bins.length - 1) lo = mid + 1;
    else if (bins[mid].from > t) hi = mid - 1;
    else return bins[mid];
  }
  return undefined;
}

/** Moved with a composited transform, so the chart under it is not repainted. */
const shift = (f: number, width: number) => ({ transform: `translateX(${(f * width).toFixed(2)}px)` });

/**
 * The scrub surface over the chart's plot area: click or drag to move the cursor (the state
 * follows while dragging), the cursor line and the diff marks A and B.
 */
export function ScrubOverlay({ box, view, bins }: { box: PlotBox; view: { from: number; to: number }; bins: HistogramBin[] }) {
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const a = useApp((s) => s.diffA);
  const b = useApp((s) => s.diffB);
  const setAt = useApp((s) => s.setAt);
  const prefetchAt = useApp((s) => s.prefetchAt);
  const ref = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const [hover, setHover] = useState<{ f: number; t: number } | null>(null);

  const timeOf = (e: { clientX: number }) => {
    const rect = ref.current!.getBoundingClientRect();
    const width = rect.width || box.width;
    const f = Math.min(1, Math.max(0, (e.clientX - rect.left) / width));
    return { f, t: Math.round(view.from + f * (view.to - view.from)) };
  };

  // Chromium delivers pointermove once per frame; pointerrawupdate comes as soon as the
  // pointer moves. While dragging, ask for the state there at once; the frame's pointermove
  // then finds the request already under way.
  const timeOfRef = useRef(timeOf);
  timeOfRef.current = timeOf;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onRaw = (e: Event) => {
      if (dragging.current) prefetchAt(timeOfRef.current(e as unknown as { clientX: number }).t);
    };
    el.addEventListener('pointerrawupdate', onRaw);
    return () => el.removeEventListener('pointerrawupdate', onRaw);
  }, [prefetchAt]);

  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    dragging.current = true;
    setHover(null);
    ref.current?.setPointerCapture?.(e.pointerId);
    ref.current?.focus();
    setAt(timeOf(e).t);
  };
  const onMove = (e: PointerEvent) => {
    const p = timeOf(e);
    if (dragging.current) setAt(p.t);
    else setHover(p);
  };
  const onUp = (e: PointerEvent) => {
    dragging.current = false;
    ref.current?.releasePointerCapture?.(e.pointerId);
  };

  const marker = (t: number | null, cls: string, label: string, testId: string) => {
    if (t === null) return null;
    const f = fractionOf(t, view);
    if (f < 0 || f > 1) return null;
    return (
      <div className={`marker ${cls}`} style={shift(f, box.width)} data-testid={testId} data-t={t}>
        <span className="marker-label">{label}</span>
      </div>
    );
  };

  const hoverBin = hover ? binAt(bins, hover.t) : undefined;
  return (
    <div
      ref={ref}
      className="scrub"
      style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      data-testid="scrubber"
      data-from={view.from}
      data-to={view.to}
      role="slider"
      tabIndex={0}
      aria-label="Time cursor: drag, or use ←/→ (changes), Shift+←/→ (one bin), Home/End"
      aria-valuemin={view.from}
      aria-valuemax={view.to}
      aria-valuenow={at ?? undefined}
      aria-valuetext={at === null ? undefined : formatTime(at, tz)}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onUp}
      onPointerLeave={() => setHover(null)}
    >
      {marker(a, 'marker-a', 'A', 'marker-a')}
      {marker(b, 'marker-b', 'B', 'marker-b')}
      {at !== null && fractionOf(at, view) >= 0 && fractionOf(at, view) <= 1 && (
        <div className="cursor-line" style={shift(fractionOf(at, view), box.width)} data-testid="cursor-line" data-t={at} />
      )}
      {hover && (
        <div className={`hover-readout ${hover.f > 0.6 ? 'left' : ''}`} style={{ left: `${(hover.f * 100).toFixed(3)}%` }}>
          {formatTime(hover.t, tz)}
          {hoverBin && (
            <span>
              {' '}
              · {hoverBin.writes} sets, {hoverBin.deletes} deletes, {hoverBin.liveAtEnd} live
            </span>
          )}
        </div>
      )}
    </div>
  );
}
