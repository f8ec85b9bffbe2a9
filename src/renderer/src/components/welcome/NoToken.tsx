import { API_VERSION } from '../../../../shared/api';

/** A page opened without the token `jrn serve` prints cannot call the API. */
export function NoToken() {
  return (
    <main className="welcome" data-testid="no-token">
      <h1>Journal Explorer</h1>
      <p className="tagline">Explore timestamp-versioned key-value journals: the state at any moment, every key&apos;s history, what changed.</p>
      <div className="note note-warn">
        This page needs the address that <code>jrn serve</code> printed, which ends in <code>?token=…</code>. Open that link to explore the store.
      </div>
      <p className="meta">Running in the browser · API v{API_VERSION}</p>
    </main>
  );
}
