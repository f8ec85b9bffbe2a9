/// <reference types="vite/client" />
import type { JournalBridge } from '../../shared/api';

declare global {
  interface Window {
    /** Present in the Electron app (preload bridge); absent in a browser talking to `jrn serve`. */
    journalApi?: JournalBridge;
  }
}

export {};
