import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/main';
import { FIXTURES, fixtureDir } from '../support/fixtures';
import { jrn, type RunResult } from './helpers';

describe('jrn serve', () => {
  it('serves a store on 127.0.0.1 with a random port, prints the URL with its token, and stops on Ctrl-C', async () => {
    const controller = new AbortController();
    const finished: { result: RunResult | null } = { result: null };
    let url = '';
    const ready = new Promise<void>((resolve) => {
      const done = (text: string) => {
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+)/.exec(text);
        if (m) {
          url = m[1];
          resolve();
        }
      };
      void jrn(['serve', fixtureDir('spec', 'small')], { signal: controller.signal, onStdout: done }).then((r) => {
        finished.result = r;
        resolve();
      });
    });
    await ready;
    expect(url, JSON.stringify(finished.result)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const token = new URL(url).searchParams.get('token')!;
    const origin = new URL(url).origin;
    // The API answers with the token, and refuses without it.
    const denied = await fetch(`${origin}/api/summary`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBeGreaterThanOrEqual(400);
    const page = await fetch(url);
    expect(page.status).toBeLessThan(500);
    expect(token.length).toBeGreaterThan(8);
    controller.abort();
    while (!finished.result) await new Promise((r) => setTimeout(r, 10));
    expect(finished.result.code).toBe(EXIT_OK);
    expect(finished.result.stdout).toContain(`Serving store "small"`);
  });

  it.each([
    [['serve'], 'give a store folder DIR, or --demo'],
    [['serve', fixtureDir('spec', 'small'), '--demo'], 'either DIR or --demo'],
    [['serve', fixtureDir('spec', 'small'), '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['serve', `${FIXTURES}/reference-4255c9b1/corrupt`], 'holds 7 stores'],
    [['serve', '/no/such/dir'], 'no such folder'],
    [['serve', fixtureDir('spec', 'small'), '--host', '0.0.0.0'], 'only loopback addresses unless remote access is allowed'],
  ])('%j is a usage error', async (argv, message) => {
    const r = await jrn(argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain(message);
  });
});
