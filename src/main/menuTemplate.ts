// The application menu as plain data (Electron-free, so it is unit-tested); the Electron layer
// turns it into a Menu. Commands the renderer carries out go to it as `command` events.
import type { EventPayload } from '../shared/api';

export type UiCommand = EventPayload<'command'>;

export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
}

export interface MenuActions {
  /** Sends a command to the focused window's UI (opening a window first if there is none). */
  command(command: UiCommand): void;
  newWindow(): void;
  clearRecent(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  recent: { id: string; dir: string; store: string }[];
  /** Development build: reload and devtools in the View menu. */
  dev: boolean;
  appName: string;
}

export function menuTemplate(state: MenuState, actions: MenuActions): MenuItem[] {
  const mac = state.platform === 'darwin';
  const sep: MenuItem = { type: 'separator' };
  const recent: MenuItem[] = state.recent.length
    ? [
        ...state.recent.map((r) => ({ label: `${r.store} — ${r.dir}`, click: () => actions.command({ command: 'openRecent', recentId: r.id }) })),
        sep,
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Stores', enabled: false }];
  const file: MenuItem = {
    label: '&File',
    submenu: [
      { label: 'Open Store Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.command({ command: 'openFolder' }) },
      { label: 'Open Recent', submenu: recent },
      { label: 'Open Demo Store', accelerator: 'CmdOrCtrl+Shift+D', click: () => actions.command({ command: 'openDemo' }) },
      sep,
      { label: 'Export Snapshot…', accelerator: 'CmdOrCtrl+E', click: () => actions.command({ command: 'export' }) },
      { label: 'Verify', accelerator: 'CmdOrCtrl+Shift+V', click: () => actions.command({ command: 'verify' }) },
      sep,
      { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
      { label: 'Close Store', accelerator: 'CmdOrCtrl+W', click: () => actions.command({ command: 'close' }) },
      { label: 'Close Window', role: 'close', accelerator: 'CmdOrCtrl+Shift+W' },
      ...(mac ? [] : [sep, { label: 'Quit', role: 'quit' }]),
    ],
  };
  const view: MenuItem = {
    label: '&View',
    submenu: [
      ...(state.dev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, sep] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac ? [{ label: state.appName, role: 'appMenu' }] : []),
    file,
    { label: '&Edit', role: 'editMenu' },
    view,
    { label: '&Window', role: 'windowMenu' },
  ];
}
