import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUT_DIR = resolve(REPO_ROOT, 'out');
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results', 'screenshots');

/** Fails with a useful message when a test needs the build output and it is missing. */
export function requireBuilt(relPath: string): string {
  const path = resolve(OUT_DIR, relPath);
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' first (npm test does).`);
  return path;
}
