// IPC registration: one `api:<method>` handler per contract method, all going through the
// same dispatcher as HTTP, plus the drop channel. Every handler first checks the sender (our
// renderer document in a window's top frame, with a session) — see ../ipcGuard.ts.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { isAbsolute } from 'node:path';
import { DROP_CHANNEL, ipcChannel, methodNames, type Envelope } from '../../shared/api';
import type { Dispatch } from '../api/dispatch';
import { toApiError } from '../api/errors';
import { senderRejection } from '../ipcGuard';
import type { RendererTarget } from '../rendererTarget';

export interface IpcWindow {
  dispatch: Dispatch;
  /** Grants a folder the user dropped onto the window; null when it is not a folder. */
  grantDropped(path: string): unknown;
}

export interface IpcDeps {
  target: RendererTarget;
  /** The window (session) a web contents belongs to. */
  windowFor(webContentsId: number): IpcWindow | undefined;
}

const refused = (message: string): Envelope<never> => ({ ok: false, error: { code: 'forbidden', message } });

function guard(event: IpcMainInvokeEvent, deps: IpcDeps): IpcWindow | Envelope<never> {
  const reason = senderRejection(event, deps.target);
  if (reason) return refused(reason);
  const win = deps.windowFor(event.sender.id);
  return win ?? refused('no session for this window');
}

/** Registers every handler; returns a function that removes them. */
export function registerIpc(deps: IpcDeps): () => void {
  const channels: string[] = [];
  for (const method of methodNames) {
    const channel = ipcChannel(method);
    ipcMain.handle(channel, async (event, args: unknown) => {
      const win = guard(event, deps);
      if ('ok' in win) return win;
      return win.dispatch(method, args);
    });
    channels.push(channel);
  }
  ipcMain.handle(DROP_CHANNEL, async (event, path: unknown): Promise<Envelope<unknown>> => {
    const win = guard(event, deps);
    if ('ok' in win) return win;
    if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0')) {
      return { ok: false, error: { code: 'invalid-arguments', message: 'a dropped folder path is needed' } };
    }
    try {
      return { ok: true, result: win.grantDropped(path) };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  });
  channels.push(DROP_CHANNEL);
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
