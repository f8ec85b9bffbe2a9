import type { RecentStore } from '../../api/types';
import { useApp } from '../../state/appStore';

function when(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

export function RecentList({ recent }: { recent: RecentStore[] }) {
  const openRecent = useApp((s) => s.openRecent);
  const opening = useApp((s) => s.opening);
  if (recent.length === 0) return <p className="hint">No recent stores yet.</p>;
  return (
    <section className="recent" data-testid="recent-stores">
      <h2>Recent stores</h2>
      <ul>
        {recent.map((r) => (
          <li key={r.id}>
            <button type="button" className="recent-item" data-testid="recent-store" disabled={opening} onClick={() => void openRecent(r.id)}>
              <span className="recent-name">{r.store}</span>
              <span className="recent-dir" title={r.dir}>
                {r.dir}
              </span>
              <span className="recent-when">{when(r.openedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
