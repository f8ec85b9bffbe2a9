import { API_GLOBAL, TOKEN_QUERY, type JournalBridge } from '../../../shared/api';
import { bridgeClient } from './bridge';
import { httpClient } from './http';
import type { ApiClient } from './types';

/** The preload bridge when running in Electron, else the `jrn serve` HTTP API of this page. */
export function createClient(win: Window = window): ApiClient {
  const bridge = (win as unknown as Record<string, JournalBridge | undefined>)[API_GLOBAL];
  if (bridge) return bridgeClient(bridge);
  const url = new URL(win.location.href);
  return httpClient(url.origin + '/', url.searchParams.get(TOKEN_QUERY) ?? '');
}
