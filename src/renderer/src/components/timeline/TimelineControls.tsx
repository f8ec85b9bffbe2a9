import { useApp, useAppStore } from '../../state/appStore';
import { TimeField } from './TimeField';

/** Time field, zone switch, stepping, zoom and diff marks. */
export function TimelineControls() {
  const tz = useApp((s) => s.tz);
  const setTz = useApp((s) => s.setTz);
  const stepChange = useApp((s) => s.stepChange);
  const goStart = useApp((s) => s.goStart);
  const goEnd = useApp((s) => s.goEnd);
  const zoomBy = useApp((s) => s.zoomBy);
  const zoomAll = useApp((s) => s.zoomAll);
  // Read the cursor only when marking, so moving it does not re-render the controls.
  const hasCursor = useApp((s) => s.at !== null);
  const store = useAppStore();
  const markAtCursor = (which: 'a' | 'b') => store.getState().setDiffPoint(which, store.getState().at);
  const stepError = useApp((s) => s.stepError);
  return (
    <div className="timeline-controls">
      <TimeField />
      <div className="segmented" role="group" aria-label="Time zone">
        <button type="button" className={tz === 'utc' ? 'on' : ''} aria-pressed={tz === 'utc'} onClick={() => setTz('utc')} data-testid="tz-utc">
          UTC
        </button>
        <button type="button" className={tz === 'local' ? 'on' : ''} aria-pressed={tz === 'local'} onClick={() => setTz('local')} data-testid="tz-local">
          Local
        </button>
      </div>
      <div className="button-row" role="group" aria-label="Step">
        <button type="button" title="First write (Home)" onClick={goStart} data-testid="go-start">
          First
        </button>
        <button type="button" title="Previous change (←)" onClick={() => void stepChange('prev')} data-testid="prev-change">
          ◀ change
        </button>
        <button type="button" title="Next change (→)" onClick={() => void stepChange('next')} data-testid="next-change">
          change ▶
        </button>
        <button type="button" title="Last write (End)" onClick={goEnd} data-testid="go-end">
          Last
        </button>
      </div>
      <div className="button-row" role="group" aria-label="Zoom">
        <button type="button" title="Zoom in around the cursor" onClick={() => zoomBy(0.5)} data-testid="zoom-in">
          +
        </button>
        <button type="button" title="Zoom out" onClick={() => zoomBy(2)} data-testid="zoom-out">
          −
        </button>
        <button type="button" title="Whole history" onClick={zoomAll} data-testid="zoom-all">
          All
        </button>
      </div>
      <div className="button-row" role="group" aria-label="Diff marks">
        <button type="button" title="Mark the cursor as diff point A" disabled={!hasCursor} onClick={() => markAtCursor('a')} data-testid="mark-a">
          Mark A
        </button>
        <button type="button" title="Mark the cursor as diff point B" disabled={!hasCursor} onClick={() => markAtCursor('b')} data-testid="mark-b">
          Mark B
        </button>
      </div>
      {stepError && <span className="error-text">{stepError}</span>}
    </div>
  );
}
