import { useApp } from '../../state/appStore';
import { Loading } from '../common/StatusViews';

/** Opening a store: a spinner, then how many of its generations are indexed as the index reports. */
export function OpeningStatus() {
  const progress = useApp((s) => s.openProgress);
  return (
    <Loading testId="opening">
      Opening the store and indexing its history…
      {progress && progress.total > 0 && (
        <span className="inline-progress" data-testid="open-progress" data-done={progress.done} data-total={progress.total}>
          {' '}
          <progress max={progress.total} value={progress.done} aria-label={`generations of ${progress.store} indexed`} />{' '}
          {progress.done} of {progress.total} generations
        </span>
      )}
    </Loading>
  );
}
