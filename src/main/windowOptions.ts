// Options for the main window. Electron-free on purpose, so unit tests can check the security
// settings without loading Electron; src/main/electron/window.ts passes them to BrowserWindow
// (where TypeScript checks them against Electron's own BrowserWindowConstructorOptions).

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
}

export interface MainWindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: SecureWebPreferences;
}

export const APP_TITLE = 'Journal Explorer';

export function mainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    title: APP_TITLE,
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    // Shown on 'ready-to-show' to avoid a white flash.
    show: false,
    backgroundColor: '#1e1f24',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
