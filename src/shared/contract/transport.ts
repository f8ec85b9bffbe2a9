/**
 * How the contract travels. Both transports carry the same envelope, so a client can treat
 * them alike.
 *
 * Electron: `ipcRenderer.invoke('api:<method>', args)`; events on `event:<name>`.
 * HTTP (`jrn serve`): `POST /api/<method>` with the JSON args as body and the per-launch token
 * in the `x-journal-token` header; events as server-sent events from
 * `GET /api/events?token=<token>` (`event: <name>` / `data: <json>`). The page gets the token
 * from its URL (`/?token=<token>`). Static files need no token; every /api route does.
 */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** 'invalid-arguments' | 'not-found' | 'forbidden' | 'query' | 'internal' | … */
  code: string;
  message: string;
}

export const TOKEN_HEADER = 'x-journal-token';
export const TOKEN_QUERY = 'token';
export const EVENTS_PATH = '/api/events';

export function ipcChannel(method: string): string {
  return `api:${method}`;
}

export function eventChannel(event: string): string {
  return `event:${event}`;
}

export function httpRoute(method: string): string {
  return `/api/${method}`;
}
