import type { JournalBridge } from '../../../shared/api';
import type { ApiClient } from './types';

/** The Electron transport: window.journalApi, already unwrapped by the preload. */
export function bridgeClient(bridge: JournalBridge): ApiClient {
  // Feature-detect: older preloads lack drag-and-drop.
  const drop = typeof bridge.openDroppedFolder === 'function' ? bridge.openDroppedFolder : null;
  return {
    api: bridge,
    transport: 'electron',
    on(event, cb) {
      if (typeof bridge.on !== 'function') return () => {};
      const off = bridge.on(event, cb);
      return typeof off === 'function' ? off : () => {};
    },
    dropFolder: drop ? (file) => drop.call(bridge, file) : null,
    downloadHref: (url) => url,
  };
}
