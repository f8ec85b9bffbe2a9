import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../menuTemplate';
import type { RecentStores } from '../recent/recentStores';

/** (Re)builds the application menu from the current recent list. */
export function installMenu(recent: RecentStores, actions: MenuActions): void {
  const template = menuTemplate(
    { platform: process.platform, recent: recent.list(), dev: !app.isPackaged, appName: app.getName() },
    actions,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
}
