import { API_VERSION } from '../../../../shared/api';
import { useApp } from '../../state/appStore';
import { ErrorBox, Loading } from '../common/StatusViews';
import { DropZone } from './DropZone';
import { OpeningStatus } from './OpeningStatus';
import { RecentList } from './RecentList';
import { StoreChooser } from './StoreChooser';

/** The first screen: open a folder, drop one, reopen a recent store, or try the demo. */
export function Welcome({ transport }: { transport: 'electron' | 'http' }) {
  const startup = useApp((s) => s.startup);
  const status = useApp((s) => s.startupStatus);
  const startupError = useApp((s) => s.startupError);
  const opening = useApp((s) => s.opening);
  const openError = useApp((s) => s.openError);
  const choice = useApp((s) => s.choice);
  const chooseFolder = useApp((s) => s.chooseFolder);
  const openDemo = useApp((s) => s.openDemo);
  const init = useApp((s) => s.init);

  return (
    <main className="welcome" data-testid="welcome">
      <h1>Journal Explorer</h1>
      <p className="tagline">Explore timestamp-versioned key-value journals: the state at any moment, every key&apos;s history, what changed.</p>

      {status === 'loading' && <Loading>Connecting…</Loading>}
      {status === 'error' && <ErrorBox message={`Cannot start: ${startupError}`} onRetry={() => void init()} testId="startup-error" />}

      {startup && (
        <>
          <div className="welcome-actions">
            {startup.canChooseFolder && (
              <button type="button" className="primary" data-testid="open-folder" onClick={() => void chooseFolder()} disabled={opening}>
                Open store folder…
              </button>
            )}
            {startup.demoAvailable && (
              <button type="button" data-testid="open-demo" onClick={() => void openDemo()} disabled={opening}>
                Open the demo store
              </button>
            )}
          </div>
          {transport === 'electron' && <DropZone />}
          {transport === 'http' && !startup.canChooseFolder && (
            <p className="hint">
              In the browser, stores are opened by <code>jrn serve &lt;folder&gt;</code>; reopen a recent one below.
            </p>
          )}
        </>
      )}

      {opening && <OpeningStatus />}
      {openError && <ErrorBox message={openError} testId="open-error" />}
      {choice && <StoreChooser choice={choice} />}
      {startup && <RecentList recent={startup.recent} />}

      <p className="meta">
        Running in the {transport === 'electron' ? 'desktop app' : 'browser'} · API v{API_VERSION}
      </p>
    </main>
  );
}
