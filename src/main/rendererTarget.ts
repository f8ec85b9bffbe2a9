// Where the main window loads the renderer from, and which navigations it may make.
// Electron-free, so it is unit-testable.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type RendererTarget = { kind: 'url'; url: string } | { kind: 'file'; path: string };

/**
 * In development electron-vite serves the renderer and sets ELECTRON_RENDERER_URL; a packaged
 * app ignores that variable and always loads the built file next to the main bundle.
 */
export function rendererTarget(
  env: Record<string, string | undefined>,
  mainBundleDir: string,
  isPackaged: boolean,
): RendererTarget {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (!isPackaged && devUrl && isLoopbackHttpUrl(devUrl)) return { kind: 'url', url: devUrl };
  return { kind: 'file', path: join(mainBundleDir, '..', 'renderer', 'index.html') };
}

function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

/** The URL the renderer document lives at, used to decide which navigations stay in-app. */
export function rendererUrl(target: RendererTarget): string {
  return target.kind === 'url' ? target.url : pathToFileURL(target.path).href;
}

/**
 * The window may only navigate within the renderer document (same origin for the dev server,
 * the same file for the built app, ignoring the hash and query). Everything else is blocked.
 */
export function isAllowedNavigation(to: string, target: RendererTarget): boolean {
  let dest: URL;
  let home: URL;
  try {
    dest = new URL(to);
    home = new URL(rendererUrl(target));
  } catch {
    return false;
  }
  if (target.kind === 'url') return dest.origin === home.origin;
  return dest.protocol === 'file:' && dest.pathname === home.pathname;
}
