// Where the app keeps its own data (the demo store, exports of `jrn serve`) outside Electron:
// $JOURNAL_EXPLORER_DATA_DIR, else $XDG_DATA_HOME/journal-explorer, else a per-platform default.
// The desktop app passes Electron's userData folder instead.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_ENV = 'JOURNAL_EXPLORER_DATA_DIR';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env[DATA_DIR_ENV]) return env[DATA_DIR_ENV]!;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Journal Explorer');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Journal Explorer');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'journal-explorer');
}
