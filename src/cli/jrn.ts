#!/usr/bin/env node
// `jrn` process entry (built to out/main/jrn.js). All logic is in ./main.
import { EXIT_INTERNAL, runCli } from './main';

// `jrn … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Ctrl-C (or SIGTERM) cancels long work cleanly — exports remove their partial output, `serve`
// stops — the second one exits at once.
const controller = new AbortController();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
}

runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  stdoutStream: process.stdout,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
    // Nothing left to wait for but stdin (script) or signal handlers: do not hang.
    process.stdin.unref?.();
  },
  (err: unknown) => {
    process.stderr.write(`jrn: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
