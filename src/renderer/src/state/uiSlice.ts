import type { Slice } from './types';

export type Tab = 'state' | 'diff' | 'generations' | 'integrity' | 'export';

export interface UiSlice {
  tab: Tab;
  setTab(tab: Tab): void;
}

export const uiSlice: Slice<UiSlice> = (set) => ({
  tab: 'state',
  setTab: (tab) => set({ tab }),
});
