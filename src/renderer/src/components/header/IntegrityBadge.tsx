import { useApp } from '../../state/appStore';

/** Problems found while reading, or history that is not fully known. Click: the Integrity tab. */
export function IntegrityBadge() {
  const problems = useApp((s) => s.summary?.problems.length ?? 0);
  const incomplete = useApp((s) => s.summary?.incomplete.length ?? 0);
  const setTab = useApp((s) => s.setTab);
  const [cls, text] =
    problems > 0
      ? ['bad', `${problems} problem${problems === 1 ? '' : 's'}`]
      : incomplete > 0
        ? ['warn', 'history incomplete']
        : ['good', 'intact'];
  return (
    <button type="button" className={`badge badge-${cls}`} data-testid="integrity-badge" data-state={cls} onClick={() => setTab('integrity')}>
      {text}
    </button>
  );
}
