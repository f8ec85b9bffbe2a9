import { useColorScheme } from '../../hooks/useColorScheme';
import { useElementSize } from '../../hooks/useElementSize';
import { useApp } from '../../state/appStore';
import { PALETTES } from '../../theme';
import { ErrorBox } from '../common/StatusViews';
import { CHART_HEIGHT, plotBox } from './geometry';
import { ScrubOverlay } from './ScrubOverlay';
import { TimelineChart } from './TimelineChart';
import { TimelineControls } from './TimelineControls';
import { TimelineOverview } from './TimelineOverview';

/** Writes over time with the cursor; the overview's brush zooms it. */
export function Timeline({ fallbackWidth = 900 }: { fallbackWidth?: number }) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  const view = useApp((s) => s.view);
  const histogram = useApp((s) => s.histogram);
  const loading = useApp((s) => s.histogramLoading);
  const error = useApp((s) => s.histogramError);
  const overview = useApp((s) => s.overview);
  const generations = useApp((s) => s.generations);
  const incomplete = useApp((s) => s.summary?.incomplete ?? []);
  const tz = useApp((s) => s.tz);
  const setView = useApp((s) => s.setView);
  const loadHistogram = useApp((s) => s.loadHistogram);
  const palette = PALETTES[useColorScheme()];
  const width = size.width || fallbackWidth;
  const box = plotBox(width, CHART_HEIGHT);

  return (
    <section className="timeline" data-testid="timeline" aria-label="Timeline">
      <TimelineControls />
      <div className="timeline-chart" ref={ref} style={{ height: CHART_HEIGHT }} data-loading={loading}>
        {!view ? (
          <div className="status status-empty" data-testid="timeline-empty">
            This store has no writes yet.
          </div>
        ) : (
          <>
            {histogram && (
              <TimelineChart
                width={width}
                height={CHART_HEIGHT}
                view={histogram.range}
                bins={histogram.bins}
                generations={generations}
                incomplete={incomplete}
                tz={tz}
                palette={palette}
              />
            )}
            <ScrubOverlay box={box} view={histogram?.range ?? view} bins={histogram?.bins ?? []} />
            {error && (
              <div className="chart-error">
                <ErrorBox message={`Timeline: ${error}`} onRetry={() => void loadHistogram()} />
              </div>
            )}
          </>
        )}
      </div>
      {overview && view && (
        <TimelineOverview width={width} bins={overview.bins} view={view} tz={tz} palette={palette} onZoom={setView} />
      )}
      <div className="legend" aria-hidden="true">
        <span className="lg lg-sets">sets</span>
        <span className="lg lg-deletes">deletes</span>
        <span className="lg lg-live">live keys (right axis)</span>
        <span className="lg lg-gen">generation boundary</span>
        <span className="lg lg-unknown">history unknown</span>
      </div>
    </section>
  );
}
