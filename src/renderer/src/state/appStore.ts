import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/types';
import { cursorSlice } from './cursorSlice';
import { diffSlice } from './diffSlice';
import { exportSlice } from './exportSlice';
import { generationsSlice } from './generationsSlice';
import { integritySlice } from './integritySlice';
import { keySlice } from './keySlice';
import { sessionSlice } from './sessionSlice';
import { tableSlice } from './tableSlice';
import { timelineSlice } from './timelineSlice';
import type { AppState } from './types';
import { uiSlice } from './uiSlice';

export type AppStore = StoreApi<AppState>;

/** One store for the whole UI, built from slices that share the API client. */
export function createAppStore(client: ApiClient): AppStore {
  return createStore<AppState>()((set, get) => {
    const deps = { client };
    return {
      ...sessionSlice(set, get, deps),
      ...cursorSlice(set, get, deps),
      ...timelineSlice(set, get, deps),
      ...tableSlice(set, get, deps),
      ...keySlice(set, get, deps),
      ...diffSlice(set, get, deps),
      ...generationsSlice(set, get, deps),
      ...integritySlice(set, get, deps),
      ...exportSlice(set, get, deps),
      ...uiSlice(set, get, deps),
    };
  });
}

export const AppStoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('AppStoreContext is missing');
  return store;
}

/** Selects from the app store (re-renders when the selected value changes). */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
