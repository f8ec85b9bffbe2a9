// What every command shares: the I/O it is given (fake in tests, the process in jrn.ts), exit
// codes, and the errors that become exit code 2.

/** Success. */
export const EXIT_OK = 0;
/** `jrn verify` found integrity problems (error severity). */
export const EXIT_FAILURE = 1;
/** Usage or input error: bad option, bad timestamp, unknown store, bad script line, … */
export const EXIT_USAGE = 2;
/** An unexpected internal error (a bug): the stack trace is printed. */
export const EXIT_INTERNAL = 3;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input (`jrn script` reads it). */
  stdin?: AsyncIterable<string | Buffer>;
  /** Standard output as a stream: large outputs wait for it to drain, exports can stream to it. */
  stdoutStream?: NodeJS.WritableStream;
  /** Progress is shown on stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
  /** Aborted on Ctrl-C: long work stops and partial output files are removed. */
  signal?: AbortSignal;
  /** Working folder for relative paths (default: process.cwd()). */
  cwd?: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown by command code for bad arguments; reported as a usage error (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bad input that is not about the command line's shape (unreadable folder, unknown store, …): exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}
