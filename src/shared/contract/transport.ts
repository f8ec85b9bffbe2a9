/**
 * How the contract travels. Both transports carry the same envelope, so a client can treat
 * them alike.
 *
 * Electron: `ipcRenderer.invoke('api:<method>', args)` answers with the envelope; events on
 * `event:<name>`. The sandboxed preload exposes this as `window.journalApi` (see
 * {@link JournalBridge}): one function per method that resolves to the result or rejects with
 * an Error whose message is `<code>: <message>` (see {@link parseApiErrorMessage}), plus
 * `invoke(method, args)` resolving to the raw envelope, and `on(event, listener)`.
 *
 * HTTP (`jrn serve`): `POST /api/<method>` with the JSON args as body and the per-launch token
 * in the `x-journal-token` header. A dispatched call always answers HTTP 200 with the envelope
 * (errors included); refusals before dispatch (no or wrong token, unknown route, foreign Host or
 * Origin, body too large) answer 4xx, also with an error envelope. Events as server-sent events
 * from `GET /api/events?token=<token>` (`event: <name>` / `data: <json>`). The page gets the
 * token from its URL (`/?token=<token>`). Static files need no token; every /api route does.
 * Finished exports download from `ExportJob.downloadUrl` (`GET /api/export/<jobId>/file?token=`).
 */
import type { EventName, EventPayload, JournalApi, MethodArgs, MethodName, MethodResult } from './methods';
import type { z } from 'zod';
import type { StoreChoiceSchema } from './schemas';

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** 'invalid-arguments' | 'not-found' | 'forbidden' | 'query' | 'cancelled' | 'unavailable' | 'internal' | … */
  code: string;
  message: string;
}

/** Name under which the preload bridge exposes the API on `window`. */
export const API_GLOBAL = 'journalApi';

export const TOKEN_HEADER = 'x-journal-token';
export const TOKEN_QUERY = 'token';
export const EVENTS_PATH = '/api/events';

/** IPC channel (desktop only, not a contract method) granting a folder dropped onto the window. */
export const DROP_CHANNEL = 'desktop:grantDroppedFolder';

export function ipcChannel(method: string): string {
  return `api:${method}`;
}

export function eventChannel(event: string): string {
  return `event:${event}`;
}

export function httpRoute(method: string): string {
  return `/api/${method}`;
}

/** Where a finished export is downloaded from (jrn serve). */
export function exportFileRoute(jobId: string): string {
  return `/api/export/${encodeURIComponent(jobId)}/file`;
}

/** The message of an Error carrying an ApiError across the preload bridge. */
export function apiErrorMessage(error: ApiError): string {
  return `${error.code}: ${error.message}`;
}

/** Recovers the ApiError from an Error the preload bridge rejected with. */
export function parseApiErrorMessage(message: string): ApiError {
  const m = /^(?:Error invoking remote method '[^']*': )?(?:Error: )?([a-z-]+): ([\s\S]*)$/.exec(message);
  return m ? { code: m[1], message: m[2] } : { code: 'internal', message };
}

/** What the preload exposes as `window.journalApi` in the desktop app. */
export type JournalBridge = JournalApi & {
  /** The raw envelope of a method call (never rejects for API errors). */
  invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Envelope<MethodResult<M>>>;
  /** Listens to a contract event; returns a function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Grants the folder dropped onto the window: pass the `File` from the drop event's
   * `dataTransfer.files`. Resolves to the folder's stores, or null when it is not a folder.
   * The renderer never handles paths itself.
   */
  openDroppedFolder(file: unknown): Promise<z.output<typeof StoreChoiceSchema> | null>;
};
