// The one API contract between the renderer and everything behind it.
//
// This is a skeleton. It will grow into a TypeScript interface plus zod schemas for every
// method's arguments and result, from which the main-process IPC handlers, the preload bridge
// and the `jrn serve` HTTP routes are generated. Keep this module environment-neutral: no node
// builtins, no electron, no engine or main imports (ESLint enforces that).

/** Bumped whenever the contract changes incompatibly. */
export const API_VERSION = 1;

/** Name under which the preload bridge exposes the API on `window`. */
export const API_GLOBAL = 'journalApi';

/** IPC channel used for a contract method (`api:<method>`). */
export function ipcChannel(method: string): string {
  return `api:${method}`;
}

/** HTTP route used for a contract method by `jrn serve` (`POST /api/<method>`). */
export function httpRoute(method: string): string {
  return `/api/${method}`;
}

export interface VersionInfo {
  /** Contract version, {@link API_VERSION}. */
  api: number;
  /** Where the renderer is talking to: the Electron preload bridge or a `jrn serve` server. */
  transport: 'electron' | 'http';
}

/** Placeholder surface; replaced by the contract-generated API. */
export interface JournalApi {
  version(): VersionInfo;
}
