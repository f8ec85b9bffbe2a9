// The `jrn` command line: argument handling, kept apart from the process entry (jrn.ts) so it
// can be tested with fake streams. Subcommands live in ./commands, one file each, and parse
// their own options (./args wraps node:util parseArgs).
import { parseArgs } from 'node:util';
import { version as packageVersion } from '../../package.json';
import { API_VERSION } from '../shared/apiVersion';
import { ExportError } from '../engine/export/types';
import { QueryError } from '../engine/timeline/queries/errors';
import { COMMANDS } from './commands';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from './context';

export { EXIT_FAILURE, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliCommand, type CliIo } from './context';
export { COMMANDS };

/** Exit code of a run cancelled with Ctrl-C (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export function helpText(): string {
  const lines = [
    'Usage: jrn [--help] [--version] <command> [options]',
    '',
    'Journal Explorer command line: inspect and query timestamp-versioned key-value journals.',
    '',
    'Options:',
    '  -h, --help       Show this help and exit',
    '  -V, --version    Show the version and exit',
    '',
    'Commands:',
  ];
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push(
    '',
    'Timestamps: µs since the Unix epoch (1704067207123456) or ISO-8601 with a zone',
    '(2024-01-01T00:00:07.123456Z); printed both ways. --json prints machine output, values in',
    'the tagged form {"string": "v"}, {"int": "-1"}, {"double": 0.5}, {"bool": true}.',
    'Exit codes: 0 ok, 1 integrity problems found (verify), 2 usage or input error,',
    `3 internal error, ${EXIT_CANCELLED} cancelled.`,
    '',
    "Run 'jrn <command> --help' for a command's options.",
  );
  return lines.join('\n') + '\n';
}

export function versionText(): string {
  return `jrn ${packageVersion} (api ${API_VERSION})\n`;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`jrn: ${message}\nRun 'jrn --help' for usage.\n`);
  return EXIT_USAGE;
}

const INPUT_ERRNO = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOSPC', 'EROFS', 'ENAMETOOLONG']);

/** Runs the CLI with `argv` (without node and script path); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Global options come before the command; everything after the command is the command's.
  const commandIndex = argv.findIndex((arg) => !arg.startsWith('-'));
  const globalArgs = commandIndex === -1 ? [...argv] : argv.slice(0, commandIndex);

  let values: { help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      args: globalArgs,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }

  if (values.help) {
    io.stdout(helpText());
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout(versionText());
    return EXIT_OK;
  }
  if (commandIndex === -1) return usageError(io, 'missing command');

  const name = argv[commandIndex];
  const rest = argv.slice(commandIndex + 1);
  if (name === 'help') {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    if (topic) return topic.run(['--help'], io);
    io.stdout(helpText());
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return usageError(io, `unknown command '${name}'`);
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, err.message);
    if (err instanceof InputError || err instanceof QueryError || err instanceof ExportError) {
      io.stderr(`jrn ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof Error && err.name === 'AbortError') {
      io.stderr(`jrn ${name}: cancelled${name === 'export' ? ' (partial output removed)' : ''}\n`);
      return EXIT_CANCELLED;
    }
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code && INPUT_ERRNO.has(code)) {
      io.stderr(`jrn ${name}: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`jrn ${name}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_INTERNAL;
  }
}
