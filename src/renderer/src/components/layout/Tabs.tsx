import { useApp } from '../../state/appStore';
import type { Tab } from '../../state/uiSlice';

const TABS: { id: Tab; label: string }[] = [
  { id: 'state', label: 'State at T' },
  { id: 'diff', label: 'Diff' },
  { id: 'generations', label: 'Generations' },
  { id: 'integrity', label: 'Integrity' },
  { id: 'export', label: 'Export' },
];

export function Tabs() {
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  return (
    <nav className="tabs" role="tablist">
      {TABS.map((t) => (
        <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
          {t.label}
        </button>
      ))}
    </nav>
  );
}
