// Sandboxed preload (bundled to one CommonJS file). Exposes only the API contract, never raw
// ipcRenderer, node builtins or process.env. Placeholder until the contract-generated bridge
// replaces it.
import { contextBridge } from 'electron';
import { API_GLOBAL, API_VERSION, type JournalApi } from '../shared/api';

const journalApi: JournalApi = {
  version: () => ({ api: API_VERSION, transport: 'electron' }),
};

contextBridge.exposeInMainWorld(API_GLOBAL, journalApi);
