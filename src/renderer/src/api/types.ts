import type { EventName, EventPayload, JournalApi, MethodResult } from '../../../shared/api';

export type Unsubscribe = () => void;

export type StoreSummary = MethodResult<'summary'>;
export type Startup = MethodResult<'startup'>;
export type Generation = StoreSummary['generations'][number];
export type StatePage = MethodResult<'stateAt'>;
export type VersionRow = StatePage['rows'][number];
export type HistoryResult = MethodResult<'history'>;
export type DiffResult = MethodResult<'diff'>;
export type DiffEntry = DiffResult['entries'][number];
export type ChangesPage = MethodResult<'changes'>;
export type WriteEntry = ChangesPage['writes'][number];
export type HistogramBin = MethodResult<'histogram'>[number];
export type VerifyResult = MethodResult<'verify'>;
export type Problem = VerifyResult['problems'][number];
export type ExportJob = MethodResult<'exportStatus'>;
export type RecentStore = Startup['recent'][number];
export type IncompleteRange = StoreSummary['incomplete'][number];
export type StoreChoice = MethodResult<'listStores'>;

/**
 * What the UI talks to: the contract's methods, its events, and the few transport-specific
 * abilities (drag-and-drop folder grants on the desktop, downloads in a browser).
 */
export interface ApiClient {
  api: JournalApi;
  transport: 'electron' | 'http';
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): Unsubscribe;
  /** Turns a dropped folder into a grant (desktop only); null where unsupported. */
  dropFolder: ((file: File) => Promise<StoreChoice | null>) | null;
  /** A URL the browser can download an export from (adds the token where needed). */
  downloadHref(url: string): string;
}
