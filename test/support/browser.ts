// Browser harness for end-to-end renderer tests. The Electron binary cannot run on these
// machines, so the renderer is driven in Debian's Chromium through playwright-core (which
// cannot download browsers here). See docs/toolchain notes in ../shared/docs/toolchain.md.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_INSTALL =
  'apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core';

/** Flags that work as root in containers, without network side traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumStatus = { available: true; path: string } | { available: false; path: string; message: string };

/** Finds Chromium at $CHROMIUM_PATH or /usr/bin/chromium. */
export function chromiumStatus(env: NodeJS.ProcessEnv = process.env): ChromiumStatus {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  if (existsSync(path)) return { available: true, path };
  const where = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${path}` : path;
  return {
    available: false,
    path,
    message: `Chromium not found at ${where}; install it with: ${CHROMIUM_INSTALL} (or set CHROMIUM_PATH)`,
  };
}

/** The bit of vitest's test context this harness needs. */
export interface SkippableContext {
  skip(note?: string): never;
}

/**
 * Returns Chromium's path. When Chromium is missing the calling test is skipped with an
 * install hint, except in CI (CI=true), where a missing browser is a failure.
 */
export function requireChromium(ctx: SkippableContext, env: NodeJS.ProcessEnv = process.env): string {
  const status = chromiumStatus(env);
  if (status.available) return status.path;
  if (env.CI === 'true') throw new Error(`${status.message}. CI must run the browser tests.`);
  console.warn(`[browser tests skipped] ${status.message}`);
  return ctx.skip(status.message);
}

/** Launches headless Chromium with a fresh temporary profile (playwright makes one per launch). */
export async function launchChromium(ctx: SkippableContext): Promise<Browser> {
  const executablePath = requireChromium(ctx);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
