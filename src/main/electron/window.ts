import { BrowserWindow, shell, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import { mainWindowOptions } from '../windowOptions';
import { isAllowedNavigation, type RendererTarget } from '../rendererTarget';

/**
 * Creates a window: secure webPreferences, sandboxed preload, locked-down navigation. The
 * renderer is loaded by loadRenderer(), once the window's session is ready.
 */
export function createMainWindow(target: RendererTarget): BrowserWindow {
  // __dirname is out/main in the built app; the preload and renderer bundles sit beside it.
  const options: BrowserWindowConstructorOptions = mainWindowOptions(join(__dirname, '..', 'preload', 'index.js'));
  const win = new BrowserWindow(options);

  win.once('ready-to-show', () => win.show());

  // No in-app navigation away from the renderer, and no new windows. External https links
  // open in the user's browser; nothing else is handed to the shell.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, target)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, target)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  return win;
}

export function loadRenderer(win: BrowserWindow, target: RendererTarget): void {
  if (target.kind === 'url') void win.loadURL(target.url);
  else void win.loadFile(target.path);
}
