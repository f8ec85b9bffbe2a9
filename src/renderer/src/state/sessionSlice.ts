import type { EventPayload } from '../../../shared/api';
import { errorMessage } from '../api/errors';
import type { Startup, StoreChoice, StoreSummary } from '../api/types';
import type { Slice } from './types';

export interface SessionSlice {
  startup: Startup | null;
  startupStatus: 'idle' | 'loading' | 'ready' | 'error';
  startupError: string | null;
  summary: StoreSummary | null;
  opening: boolean;
  /** While opening: how many generations of the store are indexed (null until the first report). */
  openProgress: EventPayload<'openProgress'> | null;
  openError: string | null;
  /** A folder whose stores the user must choose from (or that holds none). */
  choice: StoreChoice | null;
  followError: string | null;
  /** The desktop preload can turn a dropped folder into a grant. */
  canDropFolder: boolean;
  /** A URL the user's browser can download from (token added where needed). */
  downloadHref(url: string): string;

  init(): Promise<void>;
  openDemo(): Promise<void>;
  openRecent(recentId: string): Promise<void>;
  chooseFolder(): Promise<void>;
  openDropped(file: File): Promise<void>;
  /** Opens the folder's only store, or asks which one (or says it has none). */
  handleChoice(choice: StoreChoice): Promise<void>;
  pickStore(store: string): Promise<void>;
  dismissChoice(): void;
  closeStore(): Promise<void>;
  setFollow(follow: boolean): Promise<void>;
  onStoreChanged(payload: EventPayload<'storeChanged'>): void;
  onCommand(command: EventPayload<'command'>['command']): void;
  /** Resets every view for a newly opened store. */
  storeOpened(summary: StoreSummary): void;
}

export const sessionSlice: Slice<SessionSlice> = (set, get, { client }) => {
  const { api } = client;
  let subscribed = false;

  const openWith = async (open: () => Promise<StoreSummary>) => {
    set({ opening: true, openProgress: null, openError: null });
    try {
      get().storeOpened(await open());
    } catch (err) {
      set({ opening: false, openProgress: null, openError: errorMessage(err) });
    }
  };

  const refreshStartup = async () => {
    try {
      set({ startup: await api.startup({}) });
    } catch {
      // keep the old list; the welcome screen still works
    }
  };

  return {
    startup: null,
    startupStatus: 'idle',
    startupError: null,
    summary: null,
    opening: false,
    openProgress: null,
    openError: null,
    choice: null,
    followError: null,
    canDropFolder: client.dropFolder !== null,
    downloadHref: (url) => client.downloadHref(url),

    async init() {
      if (!subscribed) {
        subscribed = true;
        client.on('storeChanged', (p) => get().onStoreChanged(p));
        client.on('exportProgress', (job) => get().onExportProgress(job));
        client.on('verifyProgress', (progress) => get().onVerifyProgress(progress));
        client.on('openProgress', (progress) => {
          if (get().opening) set({ openProgress: progress });
        });
        client.on('command', (c) => get().onCommand(c.command));
      }
      set({ startupStatus: 'loading', startupError: null });
      try {
        const startup = await api.startup({});
        set({ startup, startupStatus: 'ready' });
        if (startup.open) get().storeOpened(startup.open);
        else if (startup.folder) await get().handleChoice(startup.folder);
      } catch (err) {
        set({ startupStatus: 'error', startupError: errorMessage(err) });
      }
    },

    openDemo: () => openWith(() => api.openDemo({})),
    openRecent: (recentId) => openWith(() => api.openRecent({ recentId })),

    async chooseFolder() {
      set({ openError: null });
      try {
        const choice = await api.chooseFolder({});
        if (choice) await get().handleChoice(choice);
      } catch (err) {
        set({ openError: errorMessage(err) });
      }
    },

    async openDropped(file) {
      if (!client.dropFolder) {
        set({ openError: 'Dropping a folder works in the desktop app; here, open a recent store or the demo.' });
        return;
      }
      set({ openError: null });
      try {
        const choice = await client.dropFolder(file);
        if (choice) await get().handleChoice(choice);
        else set({ openError: `${file.name} is not a folder that can be opened` });
      } catch (err) {
        set({ openError: errorMessage(err) });
      }
    },

    async handleChoice(choice) {
      if (choice.stores.length === 1) {
        set({ choice: null });
        await openWith(() => api.openStore({ folderId: choice.folderId, store: choice.stores[0] }));
      } else {
        set({ choice, openError: null });
      }
    },

    async pickStore(store) {
      const choice = get().choice;
      if (!choice) return;
      await openWith(() => api.openStore({ folderId: choice.folderId, store }));
    },

    dismissChoice: () => set({ choice: null }),

    async closeStore() {
      const summary = get().summary;
      if (!summary) return;
      get().stopExportPolling();
      set({ summary: null, choice: null, openError: null });
      try {
        await api.closeStore({ storeId: summary.storeId });
      } catch {
        // closing a store the server already forgot is fine
      }
      await refreshStartup();
    },

    async setFollow(follow) {
      const summary = get().summary;
      if (!summary) return;
      set({ followError: null });
      try {
        const next = await api.setFollow({ storeId: summary.storeId, follow });
        if (get().summary?.storeId === next.storeId) set({ summary: next });
      } catch (err) {
        set({ followError: errorMessage(err) });
      }
    },

    onStoreChanged(p) {
      const old = get().summary;
      if (!old || old.storeId !== p.storeId) return;
      const wasAtEnd = get().at !== null && old.lastTimestamp !== null && get().at! >= old.lastTimestamp;
      set({ summary: p.summary });
      // Appends change the state only at or after the old last write.
      get().invalidateTableFrom(old.lastTimestamp ?? 0);
      get().extendViewAfterAppend(old.lastTimestamp);
      if (wasAtEnd && p.summary.lastTimestamp !== null) get().setAt(p.summary.lastTimestamp);
      else get().pumpTable();
      if (get().selectedKey) void get().loadKeyHistory();
      get().syncGenerations(p.summary.generations);
    },

    onCommand(command) {
      const s = get();
      if (command === 'openFolder') void s.chooseFolder();
      else if (command === 'openDemo') void s.openDemo();
      else if (command === 'close') void s.closeStore();
      else if (command === 'export' && s.summary) s.setTab('export');
      else if (command === 'verify' && s.summary) {
        s.setTab('integrity');
        void s.runVerify();
      }
    },

    storeOpened(summary) {
      set({ summary, choice: null, opening: false, openProgress: null, openError: null, followError: null, tab: 'state' });
      const s = get();
      s.resetCursor(summary);
      s.resetTimeline(summary);
      s.resetTable();
      s.resetKey();
      s.resetDiff(summary);
      s.resetGenerations(summary);
      s.resetIntegrity();
      s.resetExport();
      void refreshStartup();
    },
  };
};
