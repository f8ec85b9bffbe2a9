import { useTimelineShortcuts } from '../../hooks/useShortcuts';
import { useApp } from '../../state/appStore';
import { DiffView } from '../diff/DiffView';
import { ExportView } from '../export/ExportView';
import { GenerationsView } from '../generations/GenerationsView';
import { StoreHeader } from '../header/StoreHeader';
import { IntegrityView } from '../integrity/IntegrityView';
import { KeyDetail } from '../key/KeyDetail';
import { StateTable } from '../state/StateTable';
import { StateToolbar } from '../state/StateToolbar';
import { Timeline } from '../timeline/Timeline';
import { Tabs } from './Tabs';

/** An open store: header, timeline, and the tab below it (with the key detail beside). */
export function StoreScreen({ transport }: { transport: 'electron' | 'http' }) {
  useTimelineShortcuts();
  const tab = useApp((s) => s.tab);
  const keyOpen = useApp((s) => s.selectedKey !== null);
  const withKey = keyOpen && (tab === 'state' || tab === 'diff');
  return (
    <div className="store-screen" data-testid="store-screen">
      {/* `jrn serve` serves one store: closing it would leave nothing to open. */}
      <StoreHeader canClose={transport === 'electron'} />
      <Timeline />
      <Tabs />
      <div className={`tab-body ${withKey ? 'with-side' : ''}`}>
        <div className="tab-main">
          {tab === 'state' && (
            <div className="state-panel" data-testid="state-panel">
              <StateToolbar />
              <StateTable />
            </div>
          )}
          {tab === 'diff' && <DiffView />}
          {tab === 'generations' && <GenerationsView />}
          {tab === 'integrity' && <IntegrityView />}
          {tab === 'export' && <ExportView transport={transport} />}
        </div>
        {withKey && <KeyDetail />}
      </div>
    </div>
  );
}
