// The `jrn` command line: argument handling, kept apart from the process entry (jrn.ts) so it
// can be tested with fake streams. Subcommands register in COMMANDS; each parses its own
// options with node:util parseArgs.
import { parseArgs } from 'node:util';
import { version as packageVersion } from '../../package.json';
import { API_VERSION } from '../shared/api';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Registered subcommands (none yet: `serve`, `info`, `get`, … come later). */
export const COMMANDS: readonly CliCommand[] = [];

/** Thrown by command code for bad arguments; reported as a usage error (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

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
  ];
  if (COMMANDS.length === 0) {
    lines.push('Commands: none yet (coming: serve, info, get, history, diff, export).');
  } else {
    lines.push('Commands:');
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
    lines.push('', "Run 'jrn <command> --help' for a command's options.");
  }
  return lines.join('\n') + '\n';
}

export function versionText(): string {
  return `jrn ${packageVersion} (api ${API_VERSION})\n`;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`jrn: ${message}\nRun 'jrn --help' for usage.\n`);
  return EXIT_USAGE;
}

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
    io.stdout(helpText());
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return usageError(io, `unknown command '${name}'`);
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, err.message);
    throw err;
  }
}
