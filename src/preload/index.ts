// Sandboxed preload (bundled to one CommonJS file that requires only 'electron'). Exposes the
// API contract as `window.journalApi`, generated from the contract's method and event names:
// one function per method, `invoke` for the raw envelope, `on` for the contract's events, and
// `openDroppedFolder` for drag-and-drop. Never raw ipcRenderer, node builtins or process.env.
// Imports only zod-free contract modules, so zod stays out of the bundle.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../shared/contract/names';
import { API_GLOBAL, apiErrorMessage, DROP_CHANNEL, eventChannel, ipcChannel, type Envelope } from '../shared/contract/transport';

const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

function invoke(method: string, args: unknown): Promise<Envelope<unknown>> {
  if (!methods.has(method)) return Promise.resolve({ ok: false, error: { code: 'not-found', message: `no API method "${method}"` } });
  return ipcRenderer.invoke(ipcChannel(method), args ?? {}) as Promise<Envelope<unknown>>;
}

const bridge: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  bridge[method] = async (args?: unknown) => {
    const envelope = await invoke(method, args);
    if (envelope.ok) return envelope.result;
    throw new Error(apiErrorMessage(envelope.error));
  };
}

bridge.invoke = invoke;

bridge.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
  if (!events.has(event)) throw new Error(`invalid-arguments: no event "${event}"`);
  if (typeof listener !== 'function') throw new Error('invalid-arguments: the listener must be a function');
  const channel = eventChannel(event);
  // The IPC event object (with its sender) never reaches the page: only the payload.
  const wrapped = (_event: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
};

bridge.openDroppedFolder = async (file: unknown): Promise<unknown> => {
  // Only a real File from a drop (or file input) has a path; the page never handles paths.
  let path: string;
  try {
    path = webUtils.getPathForFile(file as File);
  } catch {
    path = '';
  }
  if (!path) return null;
  const envelope = (await ipcRenderer.invoke(DROP_CHANNEL, path)) as Envelope<unknown>;
  if (envelope.ok) return envelope.result;
  throw new Error(apiErrorMessage(envelope.error));
};

contextBridge.exposeInMainWorld(API_GLOBAL, Object.freeze(bridge));
