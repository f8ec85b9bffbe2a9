import { API_VERSION } from '../../shared/api';

/** Placeholder welcome screen; the store picker and demo store come later. */
export function App() {
  const transport = window.journalApi ? 'desktop app' : 'browser';
  return (
    <main className="welcome">
      <h1>Journal Explorer</h1>
      <p className="tagline">Explore timestamp-versioned key-value journals: state at any moment, history, diffs.</p>
      <p className="hint">Open a journal store to begin, or try the demo store.</p>
      <p className="meta">
        Running in the {transport} · API v{API_VERSION}
      </p>
    </main>
  );
}
