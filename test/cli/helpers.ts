import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli, type CliIo } from '../../src/cli/main';

import { tempDir } from '../support/tempDir';

export { tempDir };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  tty?: boolean;
  signal?: AbortSignal;
  cwd?: string;
  /** Called with each stdout chunk (e.g. to react to a server's URL). */
  onStdout?: (text: string) => void;
}

/** Runs `jrn argv…` in-process with fake streams. */
export async function jrn(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
      options.onStdout?.(t);
    },
    stderr: (t) => void (stderr += t),
    stdin: options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin)]),
    stderrIsTTY: options.tty ?? false,
    signal: options.signal,
    cwd: options.cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs a command that prints one JSON document; fails loudly when it did not. */
export async function jrnJson<T = Record<string, unknown>>(argv: string[], options: RunOptions = {}): Promise<{ code: number; json: T; stderr: string }> {
  const r = await jrn([...argv, '--json'], options);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** A writable copy of a fixture store (fixtures are read-only and must stay untouched). */
export function copyFixture(dir: string): string {
  const copy = join(tempDir(), 'store');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Script text from ops. */
export function ndjson(ops: unknown[]): string {
  return ops.map((o) => JSON.stringify(o)).join('\n') + '\n';
}
