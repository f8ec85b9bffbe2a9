// Who may call the API over IPC: only our renderer document, in a window's top frame.
// Electron-free so the rule is unit-tested on plain values; src/main/electron/ipc.ts applies it
// to every handler before anything else runs.
import { isAllowedNavigation, type RendererTarget } from './rendererTarget';

/** The parts of Electron's IpcMainInvokeEvent the guard looks at. */
export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** Why the sender is refused, or null when it is our renderer's top frame. */
export function senderRejection(event: SenderInfo, target: RendererTarget): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return 'only the top frame may call the API';
  if (!isAllowedNavigation(frame.url, target)) return 'the sender is not the app';
  return null;
}

/**
 * Paths given on the command line (or by a second launch): everything after the executable
 * (and, in development, after the app folder) that is not a flag, resolved against `cwd`.
 */
export function pathsFromArgv(argv: readonly string[], cwd: string, isPackaged: boolean, resolvePath: (cwd: string, p: string) => string): string[] {
  const args = argv.slice(isPackaged ? 1 : 2);
  const paths: string[] = [];
  for (const arg of args) {
    if (arg === '--') continue;
    if (arg.startsWith('-')) continue;
    paths.push(resolvePath(cwd, arg));
  }
  return paths;
}
