// App lifecycle: single instance, hardening that applies to every web contents, the menu,
// IPC registration, windows (one session each), folders opened from the OS or command line.
import { app, session, type WebContents } from 'electron';
import { join, resolve } from 'node:path';
import { DemoStore } from '../demo/demoStore';
import { pathsFromArgv } from '../ipcGuard';
import { RecentStores } from '../recent/recentStores';
import { isAllowedNavigation, rendererTarget } from '../rendererTarget';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { AppWindows } from './windows';

function harden(contents: WebContents, allowed: (url: string) => boolean): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event, url) => {
    if (!allowed(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!allowed(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** App lifecycle: single instance, hardening, windows. */
export function startApp(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Every renderer sandboxed, whatever its options say.
  app.enableSandbox();

  const target = rendererTarget(process.env, __dirname, app.isPackaged);
  const pending: string[] = pathsFromArgv(process.argv, process.cwd(), app.isPackaged, resolve);
  let windows: AppWindows | null = null;

  const open = (paths: string[]) => {
    if (!windows) {
      pending.push(...paths);
      return;
    }
    if (paths.length === 0) {
      const w = windows.focused();
      if (w) {
        if (w.win.isMinimized()) w.win.restore();
        w.win.focus();
      } else void windows.create();
      return;
    }
    for (const p of paths) void windows.create(p);
  };

  // A second launch (or a folder opened from the OS) goes to a new window of this instance.
  app.on('second-instance', (_event, argv, workingDirectory) => open(pathsFromArgv(argv, workingDirectory, app.isPackaged, resolve)));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    open([path]);
  });

  app.on('web-contents-created', (_event, contents) => harden(contents, (url) => isAllowedNavigation(url, target)));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && windows && windows.count === 0) void windows.create();
  });

  void app.whenReady().then(() => {
    // The renderer needs no device, notification or other permissions.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.setDevicePermissionHandler(() => false);

    const userData = app.getPath('userData');
    const recent = new RecentStores(join(userData, 'recent-stores.json'));
    const demo = new DemoStore({ root: userData, onError: (err) => console.error('demo writer stopped:', err) });
    const rebuildMenu = () =>
      installMenu(recent, {
        command: (command) => void windows?.command(command),
        newWindow: () => void windows?.create(),
        clearRecent: () => {
          recent.clear();
          rebuildMenu();
        },
      });
    windows = new AppWindows({ target, recent, demo, onRecentChanged: rebuildMenu });
    registerIpc({ target, windowFor: (id) => windows?.windowFor(id) });
    rebuildMenu();

    // A first run (nothing recent, nothing asked for) opens the demo store, so a new user sees
    // a rich timeline at once; afterwards the welcome screen offers it.
    const first = pending.splice(0);
    if (first.length === 0) void windows.create(undefined, { demo: recent.list().length === 0 && !demo.exists });
    else for (const p of first) void windows.create(p);

    let cleaned = false;
    app.on('before-quit', (event) => {
      if (cleaned) return;
      // Stop the index workers and let the demo writer finish its archives, then quit.
      event.preventDefault();
      cleaned = true;
      void Promise.allSettled([windows!.disposeAll(), demo.close()]).then(() => app.quit());
    });
  });
}
