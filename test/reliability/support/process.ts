// Child processes for the reliability tests: line-by-line output, exit, and clean-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const JRN = join(ROOT, 'out/main/jrn.js');

/**
 * The built CLI (`npm test` builds first). Missing: a clear error. Older than the sources it is
 * built from: a warning, since the test would exercise yesterday's writer.
 */
export function builtCli(): string {
  if (!existsSync(JRN)) throw new Error(`${JRN} is missing: run \`npm run build\` first (npm test does)`);
  const built = statSync(JRN).mtimeMs;
  const newer = (dir: string): string | null => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) {
        const found = newer(path);
        if (found) return found;
      } else if (statSync(path).mtimeMs > built) return path;
    }
    return null;
  };
  for (const dir of ['src/engine', 'src/cli']) {
    const stale = newer(join(ROOT, dir));
    if (stale) {
      process.stderr.write(`warning: ${stale} is newer than out/main/jrn.js: run \`npm run build\` to test the current writer\n`);
      break;
    }
  }
  return JRN;
}

export interface LineChild {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited and its output is read. */
  exited: Promise<number | string>;
  stderr(): string;
  /** Whether the process has exited. */
  readonly done: boolean;
}

/**
 * Spawns `args` with node, calling `onLine` for every complete line of its standard output
 * (a partial last line, cut by a kill, is not a line and is dropped).
 */
export function spawnNode(args: string[], onLine: (line: string) => void, options: { stdin?: 'pipe' | 'ignore' } = {}): LineChild {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let rest = '';
  let err = '';
  let done = false;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      onLine(line);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (err.length < 100_000) err += chunk;
  });
  child.stdin?.on('error', () => undefined); // EPIPE once the child is gone
  const exited = new Promise<number | string>((resolve, reject) => {
    child.on('error', reject);
    // 'close': the process has exited and its output streams are drained.
    child.on('close', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    exited,
    stderr: () => err,
    get done() {
      return done;
    },
  };
}

/** Kills a child this test started (by its handle, never by name) and waits for it. */
export async function stop(handle: LineChild | null | undefined): Promise<void> {
  if (!handle || handle.done) return;
  handle.child.kill('SIGKILL');
  await handle.exited.catch(() => undefined);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
