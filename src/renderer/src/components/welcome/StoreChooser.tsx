import type { StoreChoice } from '../../api/types';
import { useApp } from '../../state/appStore';

/** A folder with several stores asks which one; a folder with none says why. */
export function StoreChooser({ choice }: { choice: StoreChoice }) {
  const pickStore = useApp((s) => s.pickStore);
  const dismiss = useApp((s) => s.dismissChoice);
  const opening = useApp((s) => s.opening);
  if (choice.stores.length === 0) {
    return (
      <section className="card chooser" data-testid="no-stores">
        <h2>No journal store in this folder</h2>
        <p className="path">{choice.dir}</p>
        <p>
          A store is an active journal <code>NAME.jrn.&lt;N&gt;</code> and its archives <code>NAME.jrn.*.zz</code> (beside it or in{' '}
          <code>snapshots/</code>). None of the files here look like that.
        </p>
        <button type="button" onClick={dismiss}>
          OK
        </button>
      </section>
    );
  }
  return (
    <section className="card chooser" data-testid="store-chooser">
      <h2>This folder holds {choice.stores.length} stores — which one?</h2>
      <p className="path">{choice.dir}</p>
      <ul className="choice-list">
        {choice.stores.map((store) => (
          <li key={store}>
            <button type="button" data-testid="store-choice" data-store={store} disabled={opening} onClick={() => void pickStore(store)}>
              {store}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={dismiss}>
        Cancel
      </button>
    </section>
  );
}
