import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ExportError } from './types';

/** The real path of `path`, resolving symlinks of its nearest existing ancestor (it may not exist yet). */
export function realTarget(path: string): string {
  const absolute = resolve(path);
  const rest: string[] = [];
  let current = absolute;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    rest.unshift(basename(current));
    current = parent;
  }
  let real: string;
  try {
    real = realpathSync(current);
  } catch {
    real = current;
  }
  return rest.length ? join(real, ...rest) : real;
}

/** Whether `path` is `folder` or lies inside it (both resolved through symlinks). */
export function isInside(folder: string, path: string): boolean {
  const f = realTarget(folder);
  const p = realTarget(path);
  return p === f || p.startsWith(f.endsWith(sep) ? f : f + sep);
}

/**
 * Exports never write into the folder of the store they read: a file there could be taken
 * for part of the store, and the store's writer may rotate or delete files at any moment.
 */
export function refuseInsideStore(storeDir: string, out: string): void {
  if (isInside(storeDir, out)) {
    throw new ExportError(`refusing to write ${out} inside the store folder ${storeDir}: choose an output outside it`);
  }
}
