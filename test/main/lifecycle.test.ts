// The Electron entry layer with a stubbed 'electron': single-instance lock, sandbox for all,
// permissions denied, every web contents hardened (no navigation away, no new windows, no
// webviews), secure windows loading our renderer, IPC registered, folders from a second
// launch opened in a new window.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ipcChannel, methodNames } from '../../src/shared/api';
import { fixtureDir } from '../support/fixtures';
import { tempDir, waitFor } from './helpers';

const userData = tempDir('je-userdata-');
type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    lock: true,
    appListeners: new Map<string, Listener[]>(),
    quit: 0,
    sandbox: 0,
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    devicePermission: null as null | Listener,
    ipc: new Map<string, Listener>(),
    windows: [] as FakeWindow[],
    menus: 0,
    userData: '',
    ready: null as null | (() => void),
  };
  type Listener = (...args: unknown[]) => unknown;
  let nextId = 1;
  class FakeContents {
    id = nextId++;
    listeners = new Map<string, Listener[]>();
    openHandler: Listener | null = null;
    sent: unknown[][] = [];
    on(event: string, fn: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    once(event: string, fn: Listener) {
      return this.on(event, fn);
    }
    setWindowOpenHandler(fn: Listener) {
      this.openHandler = fn;
    }
    isLoading() {
      return false;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
  }
  class FakeWindow {
    webContents = new FakeContents();
    loaded: string[] = [];
    title = '';
    destroyed = false;
    listeners = new Map<string, Listener[]>();
    constructor(readonly options: Record<string, unknown>) {
      state.windows.push(this);
      // Electron fires web-contents-created for every new web contents.
      for (const fn of state.appListeners.get('web-contents-created') ?? []) fn({}, this.webContents);
    }
    on(event: string, fn: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    once(event: string, fn: Listener) {
      return this.on(event, fn);
    }
    loadFile(path: string) {
      this.loaded.push(`file:${path}`);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    setTitle(t: string) {
      this.title = t;
    }
    focus() {}
    restore() {}
    show() {}
    static getFocusedWindow() {
      return state.windows.at(-1) ?? null;
    }
  }
  return { state, FakeWindow };
});

vi.mock('electron', () => {
  const { state, FakeWindow } = h;
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => state.lock,
      enableSandbox: () => void state.sandbox++,
      quit: () => void state.quit++,
      on: (event: string, fn: Listener) => state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), fn]),
      whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
      isReady: () => true,
      getPath: () => state.userData,
      getName: () => 'Journal Explorer',
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Listener) => (state.permissionCheck = fn),
        setDevicePermissionHandler: (fn: Listener) => (state.devicePermission = fn),
      },
    },
    ipcMain: {
      handle: (channel: string, fn: Listener) => state.ipc.set(channel, fn),
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => void state.menus++ },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async () => undefined },
  };
});

const { state } = h;

beforeAll(async () => {
  state.userData = userData.path;
  // A recent store, so the first window does not generate the demo.
  mkdirSync(userData.path, { recursive: true });
  writeFileSync(join(userData.path, 'recent-stores.json'), JSON.stringify([{ id: 'r', dir: fixtureDir('spec', 'small'), store: 'small', openedAt: 1 }]));
  const { startApp } = await import('../../src/main/electron/lifecycle');
  startApp();
  state.ready!();
  await waitFor(() => state.windows.length === 1 && state.windows[0].loaded.length === 1, 5000, 'the first window');
});

afterAll(async () => {
  for (const fn of state.appListeners.get('before-quit') ?? []) fn({ preventDefault: () => undefined });
  await waitFor(() => state.quit > 0, 5000, 'quit after cleanup');
  userData.cleanup();
});

describe('startApp', () => {
  test('sandboxes every renderer and denies every permission', () => {
    expect(state.sandbox).toBe(1);
    const answers: boolean[] = [];
    state.permissionRequest!({}, 'media', (ok: boolean) => answers.push(ok));
    state.permissionRequest!({}, 'notifications', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(state.permissionCheck!({}, 'clipboard-read')).toBe(false);
    expect(state.devicePermission!({})).toBe(false);
  });

  test('opens a secure window on our renderer, with the menu and every IPC handler', () => {
    const [win] = state.windows;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.js$/);
    expect(win.loaded[0]).toMatch(/^file:.*renderer[/\\]index\.html$/);
    expect(state.menus).toBeGreaterThan(0);
    for (const m of methodNames) expect(state.ipc.has(ipcChannel(m)), m).toBe(true);
  });

  test('no navigation away, no new windows, no webviews', () => {
    const contents = state.windows[0].webContents;
    const own = `file://${state.windows[0].loaded[0].slice('file:'.length)}`;
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${own}#/store`)).toBe(false);
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    let webview = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
  });

  test("IPC from our window reaches its session; a foreign frame's does not", async () => {
    const win = state.windows[0];
    const own = `file://${win.loaded[0].slice('file:'.length)}`;
    const startup = state.ipc.get(ipcChannel('startup'))!;
    expect(await startup({ sender: { id: win.webContents.id }, senderFrame: { url: own, parent: null } }, {})).toMatchObject({
      ok: true,
      result: { transport: 'electron', canChooseFolder: true, demoAvailable: true, recent: [{ store: 'small' }] },
    });
    expect(await startup({ sender: { id: win.webContents.id }, senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  test('a second launch with a folder opens it in a new window, before its renderer loads', async () => {
    const dir = fixtureDir('spec', 'rotated');
    for (const fn of state.appListeners.get('second-instance') ?? []) fn({}, ['/opt/je/journal-explorer', dir], '/');
    await waitFor(() => state.windows.length === 2 && state.windows[1].loaded.length === 1, 5000, 'the second window');
    const win = state.windows[1];
    const own = `file://${win.loaded[0].slice('file:'.length)}`;
    const startup = (await state.ipc.get(ipcChannel('startup'))!({ sender: { id: win.webContents.id }, senderFrame: { url: own, parent: null } }, {})) as {
      result: { open: { dir: string; store: string } };
    };
    expect(startup.result.open).toMatchObject({ dir, store: 'store' });
    // The first window's session does not have it: one session per window.
    const first = state.windows[0];
    const other = (await state.ipc.get(ipcChannel('summary'))!(
      { sender: { id: first.webContents.id }, senderFrame: { url: own, parent: null } },
      { storeId: (startup.result.open as unknown as { storeId: string }).storeId },
    )) as { ok: boolean };
    expect(other.ok).toBe(false);
  });
});
