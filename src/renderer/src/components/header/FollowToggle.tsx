import { useApp } from '../../state/appStore';

/** Follow the store live (new writes and rotations appear as they happen). */
export function FollowToggle() {
  const following = useApp((s) => s.summary?.following ?? false);
  const setFollow = useApp((s) => s.setFollow);
  const error = useApp((s) => s.followError);
  return (
    <label className={`follow ${following ? 'on' : ''}`} title={error ?? 'Follow new writes as they are appended'} data-testid="follow">
      <input type="checkbox" checked={following} onChange={(e) => void setFollow(e.target.checked)} data-testid="follow-toggle" />
      <span className="live-dot" aria-hidden="true" />
      {following ? 'Live' : 'Follow live'}
      {error && <span className="error-text"> (failed)</span>}
    </label>
  );
}
