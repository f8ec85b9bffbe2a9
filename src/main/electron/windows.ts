// One session per window: each window gets its own Session (grants, open stores, index worker,
// export jobs); closing the window disposes it, freeing its indexes. Events go to the window's
// renderer on `event:<name>`, validated first.
import { BrowserWindow } from 'electron';
import { eventChannel, type EventName, type EventPayload } from '../../shared/api';
import type { Dispatch } from '../api/dispatch';
import { checkEvent } from '../api/events';
import type { DemoStore } from '../demo/demoStore';
import { createIndexClient } from '../indexer/client';
import type { RecentStores } from '../recent/recentStores';
import type { RendererTarget } from '../rendererTarget';
import { Session, sessionDispatch } from '../session/session';
import { chooseExportPath, chooseFolder } from './dialogs';
import type { IpcWindow } from './ipc';
import { createMainWindow, loadRenderer } from './window';

export interface AppWindow extends IpcWindow {
  win: BrowserWindow;
  session: Session;
  dispatch: Dispatch;
}

export interface WindowDeps {
  target: RendererTarget;
  recent: RecentStores;
  demo: DemoStore;
  /** The recent list may have changed (rebuild the menu). */
  onRecentChanged(): void;
}

const OPENING = new Set(['openStore', 'openRecent', 'openDemo']);

export class AppWindows {
  private readonly windows = new Map<number, AppWindow>();

  constructor(private readonly deps: WindowDeps) {}

  get count(): number {
    return this.windows.size;
  }

  windowFor(webContentsId: number): AppWindow | undefined {
    return this.windows.get(webContentsId);
  }

  focused(): AppWindow | undefined {
    const win = BrowserWindow.getFocusedWindow();
    return (win && this.windows.get(win.webContents.id)) ?? [...this.windows.values()].pop();
  }

  /**
   * A new window; `openPath` (command line, the OS) — or the demo store, for a first run — is
   * opened in its session before the renderer asks (startup() returns it).
   */
  async create(openPath?: string, options: { demo?: boolean } = {}): Promise<AppWindow> {
    const win = createMainWindow(this.deps.target);
    const id = win.webContents.id;
    const send = <E extends EventName>(event: E, payload: EventPayload<E>) => {
      const data = checkEvent(event, payload);
      if (data !== null && !win.isDestroyed()) win.webContents.send(eventChannel(event), data);
    };
    const session = new Session({
      transport: 'electron',
      indexer: createIndexClient(),
      emit: send,
      recent: this.deps.recent,
      demo: this.deps.demo,
      chooseFolder: () => chooseFolder(win),
      chooseExportPath: (name) => chooseExportPath(win, name),
    });
    const base = sessionDispatch(session);
    const dispatch: Dispatch = async (method, args) => {
      const result = await base(method, args);
      if (OPENING.has(method) && result.ok) {
        this.deps.onRecentChanged();
        const summary = result.result as { store: string; dir: string };
        if (!win.isDestroyed()) win.setTitle(`${summary.store} — ${summary.dir} — Journal Explorer`);
      }
      return result;
    };
    const entry: AppWindow = { win, session, dispatch, grantDropped: (path) => grantIfFolder(session, path) };
    this.windows.set(id, entry);
    win.on('closed', () => {
      this.windows.delete(id);
      void session.dispose();
    });
    try {
      if (openPath) {
        await session.openPath(openPath);
        this.deps.onRecentChanged();
      } else if (options.demo) {
        await session.openDemo({});
      }
    } catch {
      // Not openable: the window shows the welcome screen.
    }
    if (!win.isDestroyed()) loadRenderer(win, this.deps.target);
    return entry;
  }

  /** Sends a UI command to the focused window, opening one first when there is none. */
  async command(payload: EventPayload<'command'>): Promise<void> {
    const target = this.focused() ?? (await this.create());
    const data = checkEvent('command', payload);
    if (data === null || target.win.isDestroyed()) return;
    if (target.win.webContents.isLoading()) {
      target.win.webContents.once('did-finish-load', () => target.win.webContents.send(eventChannel('command'), data));
    } else {
      target.win.webContents.send(eventChannel('command'), data);
    }
    target.win.focus();
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.windows.values()].map((w) => w.session.dispose()));
  }
}

function grantIfFolder(session: Session, path: string): unknown {
  try {
    return session.grantFolder(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'not-found') return null;
    throw err;
  }
}
