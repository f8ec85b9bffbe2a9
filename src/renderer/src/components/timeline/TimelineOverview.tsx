import { memo, useMemo } from 'react';
import { Area, AreaChart, Brush, ComposedChart } from 'recharts';
import type { HistogramBin } from '../../api/types';
import { formatTick, type TimeZoneMode } from '../../format/time';
import type { Palette } from '../../theme';
import { CHART_MARGIN, OVERVIEW_HEIGHT, Y_AXIS_WIDTH } from './geometry';

export interface OverviewProps {
  width: number;
  bins: HistogramBin[];
  view: { from: number; to: number };
  tz: TimeZoneMode;
  palette: Palette;
  onZoom(from: number, to: number): void;
}

function indexOf(bins: HistogramBin[], t: number): number {
  const i = bins.findIndex((b) => t < b.to);
  return i < 0 ? bins.length - 1 : i;
}

/** The whole store under a brush: drag its ends (or the window) to zoom the main chart. */
export const TimelineOverview = memo(function TimelineOverview({ width, bins, view, tz, palette, onZoom }: OverviewProps) {
  const data = useMemo(() => bins.map((b) => ({ t: b.from, n: b.writes + b.deletes })), [bins]);
  if (bins.length < 2) return null;
  const start = indexOf(bins, view.from);
  const end = Math.max(start, indexOf(bins, view.to));
  const span = bins[bins.length - 1].to - bins[0].from;
  const margin = { top: 2, bottom: 2, left: CHART_MARGIN.left + Y_AXIS_WIDTH, right: CHART_MARGIN.right + Y_AXIS_WIDTH };
  return (
    <div className="overview" data-testid="overview">
      <ComposedChart width={width} height={OVERVIEW_HEIGHT} data={data} margin={margin}>
        <Brush
          dataKey="t"
          height={OVERVIEW_HEIGHT - 4}
          startIndex={start}
          endIndex={end}
          travellerWidth={8}
          stroke={palette.brush}
          fill="transparent"
          tickFormatter={(v: number) => formatTick(v, tz, span)}
          onChange={(r) => {
            if (r.startIndex === undefined || r.endIndex === undefined) return;
            if (r.startIndex === start && r.endIndex === end) return;
            onZoom(bins[r.startIndex].from, bins[r.endIndex].to);
          }}
        >
          <AreaChart data={data}>
            <Area dataKey="n" type="stepAfter" stroke={palette.sets} fill={palette.sets} fillOpacity={0.3} isAnimationActive={false} />
          </AreaChart>
        </Brush>
      </ComposedChart>
    </div>
  );
});
