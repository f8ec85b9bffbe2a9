import {
  EVENTS_PATH,
  TOKEN_HEADER,
  TOKEN_QUERY,
  httpRoute,
  methodNames,
  type Envelope,
  type EventName,
  type JournalApi,
} from '../../../shared/api';
import { ApiCallError } from './errors';
import type { ApiClient, Unsubscribe } from './types';

/** The `jrn serve` transport: POST /api/<method> with the token header; events over SSE. */
export function httpClient(base: string, token: string): ApiClient {
  const call = async (method: string, args: unknown) => {
    let res: Response;
    try {
      res = await fetch(new URL(httpRoute(method), base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
      });
    } catch (err) {
      throw new ApiCallError('network', `cannot reach the server: ${err instanceof Error ? err.message : String(err)}`);
    }
    let body: Envelope<unknown>;
    try {
      body = (await res.json()) as Envelope<unknown>;
    } catch {
      throw new ApiCallError('internal', `the server answered ${res.status} ${res.statusText} without a JSON envelope`);
    }
    if (!body.ok) throw new ApiCallError(body.error?.code ?? 'internal', body.error?.message ?? 'unknown error');
    return body.result;
  };
  const api = Object.fromEntries(methodNames.map((name) => [name, (args: unknown) => call(name, args)])) as unknown as JournalApi;

  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const ensureSource = (event: string) => {
    if (typeof EventSource === 'undefined') return;
    if (!source) {
      const url = new URL(EVENTS_PATH, base);
      url.searchParams.set(TOKEN_QUERY, token);
      source = new EventSource(url);
    }
    if (!listeners.has(event)) {
      const set = new Set<(payload: never) => void>();
      listeners.set(event, set);
      source.addEventListener(event, (ev) => {
        let payload: never;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data) as never;
        } catch {
          return;
        }
        for (const cb of set) cb(payload);
      });
    }
  };

  return {
    api,
    transport: 'http',
    on(event: EventName, cb: (payload: never) => void): Unsubscribe {
      ensureSource(event);
      listeners.get(event)?.add(cb);
      return () => listeners.get(event)?.delete(cb);
    },
    dropFolder: null,
    downloadHref(url: string) {
      const u = new URL(url, base);
      if (!u.searchParams.has(TOKEN_QUERY)) u.searchParams.set(TOKEN_QUERY, token);
      return u.toString();
    },
  } as ApiClient;
}
