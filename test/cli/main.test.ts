import { describe, expect, test } from 'vitest';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../src/cli/main';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  test.each([['--help'], ['-h'], ['help']])('%s prints usage', async (arg) => {
    const r = await run(arg);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^Usage: jrn /);
    expect(r.stderr).toBe('');
  });

  test('--help lists every command, the timestamp forms and the exit codes', async () => {
    const r = await run('--help');
    for (const name of ['stores', 'generations', 'state', 'get', 'history', 'diff', 'changes', 'verify', 'export', 'script', 'serve']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
    expect(r.stdout).toContain('2024-01-01T00:00:07.123456Z');
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 integrity problems found (verify), 2 usage or input error');
  });

  test('help COMMAND prints that command\'s help', async () => {
    const r = await run('help', 'verify');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^Usage: jrn verify DIR/);
  });

  test('--version prints the package version', async () => {
    const r = await run('--version');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^jrn \d+\.\d+\.\d+/);
  });

  test('an unknown command is a usage error', async () => {
    const r = await run('frobnicate', '--x');
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('jrn --help');
  });

  test('an unknown option is a usage error', async () => {
    const r = await run('--frob');
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain("'--frob'");
  });

  test('no command is a usage error', async () => {
    const r = await run();
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('missing command');
  });
});
