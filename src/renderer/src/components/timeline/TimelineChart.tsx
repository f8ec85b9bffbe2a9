import { memo, useMemo } from 'react';
import { Area, ComposedChart, Line, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { Generation, HistogramBin, IncompleteRange } from '../../api/types';
import { formatTick, type TimeZoneMode } from '../../format/time';
import type { Palette } from '../../theme';
import { CHART_MARGIN, X_AXIS_HEIGHT, Y_AXIS_WIDTH } from './geometry';
import { timeTicks } from './ticks';

export interface TimelineChartProps {
  width: number;
  height: number;
  view: { from: number; to: number };
  bins: HistogramBin[];
  generations: Generation[];
  incomplete: IncompleteRange[];
  tz: TimeZoneMode;
  palette: Palette;
}

interface Point {
  t: number;
  sets: number;
  deletes: number;
  live: number;
}

/** Step series: each bin's counts from its start; one last point closes the final bin. */
export function chartPoints(bins: HistogramBin[]): Point[] {
  const pts = bins.map((b) => ({ t: b.from, sets: b.writes, deletes: b.deletes, live: b.liveAtEnd }));
  const last = bins[bins.length - 1];
  if (last) pts.push({ t: last.to, sets: last.writes, deletes: last.deletes, live: last.liveAtEnd });
  return pts;
}

/** Where generations begin, for boundary lines (the first generation has none). */
export function generationBoundaries(generations: Generation[]): { t: number; label: string; gap: boolean }[] {
  return generations
    .slice(1)
    .map((g) => ({ t: g.rotatedAt ?? g.firstWrite, label: `g${g.generation}`, gap: g.gapBefore }))
    .filter((b): b is { t: number; label: string; gap: boolean } => b.t !== null);
}

/**
 * Writes per bin (sets and deletes, stacked), live keys (right axis), generation boundaries
 * and unknown history. Static for a given view: the cursor is drawn by the overlay, so
 * scrubbing never re-renders this chart.
 */
export const TimelineChart = memo(function TimelineChart({ width, height, view, bins, generations, incomplete, tz, palette }: TimelineChartProps) {
  const data = useMemo(() => chartPoints(bins), [bins]);
  const span = view.to - view.from;
  const ticks = useMemo(() => timeTicks(view.from, view.to, Math.max(2, Math.floor(width / 130))), [view.from, view.to, width]);
  const inView = (t: number) => t >= view.from && t <= view.to;
  const clamp = (t: number) => Math.min(view.to, Math.max(view.from, t));
  return (
    <ComposedChart width={width} height={height} data={data} margin={CHART_MARGIN}>
      <XAxis
        dataKey="t"
        type="number"
        domain={[view.from, view.to]}
        allowDataOverflow
        ticks={ticks}
        tickFormatter={(v: number) => formatTick(v, tz, span)}
        height={X_AXIS_HEIGHT}
        stroke={palette.axis}
        tick={{ fontSize: 11, fill: palette.axis }}
        interval="preserveStartEnd"
      />
      <YAxis yAxisId="w" width={Y_AXIS_WIDTH} stroke={palette.axis} tick={{ fontSize: 11, fill: palette.axis }} allowDecimals={false} />
      <YAxis
        yAxisId="live"
        orientation="right"
        width={Y_AXIS_WIDTH}
        stroke={palette.live}
        tick={{ fontSize: 11, fill: palette.live }}
        allowDecimals={false}
      />
      {incomplete.map((r, i) => {
        const x1 = clamp(r.from ?? view.from);
        const x2 = clamp(r.to ?? view.to);
        if (x2 <= x1) return null;
        return <ReferenceArea key={`u${i}`} yAxisId="w" x1={x1} x2={x2} fill={palette.unknown} fillOpacity={0.18} stroke={palette.unknown} strokeOpacity={0.5} ifOverflow="hidden" />;
      })}
      {(['sets', 'deletes'] as const).map((series) => (
        <Area
          key={series}
          yAxisId="w"
          type="stepAfter"
          dataKey={series}
          stackId="w"
          stroke={palette[series]}
          fill={palette[series]}
          fillOpacity={series === 'sets' ? 0.35 : 0.45}
          isAnimationActive={false}
          name={series}
        />
      ))}
      <Line yAxisId="live" type="stepAfter" dataKey="live" stroke={palette.live} strokeWidth={1.5} dot={false} isAnimationActive={false} name="live keys" />
      {generationBoundaries(generations)
        .filter((b) => inView(b.t))
        .map((b) => (
          <ReferenceLine
            key={`g${b.label}${b.t}`}
            yAxisId="w"
            x={b.t}
            stroke={b.gap ? palette.gap : palette.generation}
            strokeDasharray={b.gap ? undefined : '3 3'}
            strokeWidth={b.gap ? 2 : 1}
            label={{ value: b.gap ? `${b.label} gap` : b.label, position: 'insideTopLeft', fontSize: 10, fill: b.gap ? palette.gap : palette.generation }}
          />
        ))}
    </ComposedChart>
  );
});
