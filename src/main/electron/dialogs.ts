// Native dialogs for a window: pick a store folder, pick where an export goes.
import { app, dialog, type BrowserWindow } from 'electron';
import { extname, join } from 'node:path';

export async function chooseFolder(win: BrowserWindow): Promise<string | null> {
  const result = await dialog.showOpenDialog(win, {
    title: 'Open Store Folder',
    buttonLabel: 'Open',
    properties: ['openDirectory', 'dontAddToRecent'],
  });
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.json': { name: 'JSON', extensions: ['json'] },
  '.ndjson': { name: 'Newline-delimited JSON', extensions: ['ndjson'] },
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.parquet': { name: 'Parquet', extensions: ['parquet'] },
  '.jrn': { name: 'Journal', extensions: ['jrn'] },
};

export async function chooseExportPath(win: BrowserWindow, suggestedName: string): Promise<string | null> {
  const filter = FILTERS[extname(suggestedName)];
  const result = await dialog.showSaveDialog(win, {
    title: 'Export',
    defaultPath: join(app.getPath('documents'), suggestedName),
    filters: filter ? [filter] : [],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  return result.canceled || !result.filePath ? null : result.filePath;
}
