// The application menu (as data) and command-line paths, without Electron.
import { describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { menuTemplate, type MenuItem, type UiCommand } from '../../src/main/menuTemplate';
import { pathsFromArgv } from '../../src/main/ipcGuard';
import { RecentStores, recentId } from '../../src/main/recent/recentStores';
import { tempDir } from './helpers';
import { join } from 'node:path';

function find(items: MenuItem[], label: string): MenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && find(item.submenu, label);
    if (inner) return inner;
  }
  return undefined;
}

describe('menuTemplate', () => {
  const commands: UiCommand[] = [];
  const actions = { command: (c: UiCommand) => commands.push(c), newWindow: () => undefined, clearRecent: () => undefined };
  const recent = [{ id: 'r1', dir: '/data/fleet', store: 'fleet' }];

  test('has the store commands with shortcuts, each sending its UI command', () => {
    const menu = menuTemplate({ platform: 'linux', recent, dev: false, appName: 'Journal Explorer' }, actions);
    const expected: [string, string | undefined, UiCommand][] = [
      ['Open Store Folder…', 'CmdOrCtrl+O', { command: 'openFolder' }],
      ['Open Demo Store', 'CmdOrCtrl+Shift+D', { command: 'openDemo' }],
      ['Export Snapshot…', 'CmdOrCtrl+E', { command: 'export' }],
      ['Verify', 'CmdOrCtrl+Shift+V', { command: 'verify' }],
      ['Close Store', 'CmdOrCtrl+W', { command: 'close' }],
      ['fleet — /data/fleet', undefined, { command: 'openRecent', recentId: 'r1' }],
    ];
    for (const [label, accelerator, command] of expected) {
      const item = find(menu, label);
      expect(item, label).toBeDefined();
      expect(item!.accelerator).toBe(accelerator);
      commands.length = 0;
      item!.click!();
      expect(commands).toEqual([command]);
    }
    expect(find(menu, 'Quit')).toBeDefined();
    expect(JSON.stringify(menu)).not.toContain('toggleDevTools');
  });

  test('no recent stores, macOS app menu, dev tools in development', () => {
    const menu = menuTemplate({ platform: 'darwin', recent: [], dev: true, appName: 'Journal Explorer' }, actions);
    expect(find(menu, 'No Recent Stores')?.enabled).toBe(false);
    expect(menu[0].role).toBe('appMenu');
    expect(JSON.stringify(menu)).toContain('toggleDevTools');
  });
});

describe('pathsFromArgv', () => {
  test('skips the executable (and the app folder in development) and flags', () => {
    expect(pathsFromArgv(['/opt/je/journal-explorer', '--no-sandbox', 'stores/a', '/abs/b'], '/home/u', true, resolve)).toEqual(['/home/u/stores/a', '/abs/b']);
    expect(pathsFromArgv(['electron', '.', 'stores/a'], '/w', false, resolve)).toEqual(['/w/stores/a']);
    expect(pathsFromArgv(['electron', '.'], '/w', false, resolve)).toEqual([]);
  });
});

describe('RecentStores', () => {
  test('most recent first, deduplicated, capped, persisted', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.path, 'recent.json');
      let t = 0;
      const recent = new RecentStores(file, () => ++t);
      for (let i = 0; i < 12; i++) recent.add(tmp.path, `s${i}`);
      recent.add(tmp.path, 's5');
      const list = recent.list();
      expect(list).toHaveLength(10);
      expect(list[0]).toEqual({ id: recentId(tmp.path, 's5'), dir: tmp.path, store: 's5', openedAt: 13 });
      expect(new RecentStores(file).list()).toEqual(list);
      // Gone folders are not offered.
      recent.add('/no/such/folder', 'x');
      expect(recent.list().map((r) => r.store)).not.toContain('x');
      recent.clear();
      expect(new RecentStores(file).list()).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});
