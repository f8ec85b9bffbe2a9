import { useEffect, useState } from 'react';
import type { ApiClient } from './api/types';
import { StoreScreen } from './components/layout/StoreScreen';
import { Welcome } from './components/welcome/Welcome';
import { AppStoreContext, createAppStore, useApp, type AppStore } from './state/appStore';

function Screens({ transport }: { transport: 'electron' | 'http' }) {
  const open = useApp((s) => s.summary !== null);
  const init = useApp((s) => s.init);
  useEffect(() => {
    void init();
  }, [init]);
  return open ? <StoreScreen transport={transport} /> : <Welcome transport={transport} />;
}

/** The whole UI over one API client (the preload bridge, `jrn serve`, or a fake in tests). */
export function App({ client, store }: { client: ApiClient; store?: AppStore }) {
  const [appStore] = useState(() => store ?? createAppStore(client));
  return (
    <AppStoreContext.Provider value={appStore}>
      <Screens transport={client.transport} />
    </AppStoreContext.Provider>
  );
}
