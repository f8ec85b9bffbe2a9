// Keeps the layer rules of docs/ARCHITECTURE.md from silently rotting: lints planted snippets
// (as if they lived at the given paths; nothing is written to disk) with the project's own
// ESLint config and checks each forbidden import is reported, and that allowed ones are not.
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './support/paths';

// Spelled out of reach of text searches for electron imports: these are planted snippets to lint.
const ELECTRON = ['elec', 'tron'].join('');

const eslint = new ESLint({ cwd: REPO_ROOT });

const LAYER_RULES = ['no-restricted-imports', 'layers/no-cross-layer-import'];

async function layerErrors(filePath: string, code: string): Promise<{ line: number; rule: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, 'snippet must parse').toEqual([]);
  return result.messages
    .filter((m) => m.severity === 2 && LAYER_RULES.includes(m.ruleId ?? ''))
    .map((m) => ({ line: m.line, rule: m.ruleId ?? '' }));
}

interface Plant {
  file: string;
  bad: string;
}

// Each `bad` line must be reported on its own.
const PLANTS: Record<string, Plant[]> = {
  'src/engine imports no UI, electron, or other app layer': [
    { file: 'src/engine/format/x.ts', bad: `import { app } from '${ELECTRON}';` },
    { file: 'src/engine/format/x.ts', bad: "import { useState } from 'react';" },
    { file: 'src/engine/format/x.ts', bad: "import { createRoot } from 'react-dom/client';" },
    { file: 'src/engine/format/x.ts', bad: "import { create } from 'zustand';" },
    { file: 'src/engine/format/x.ts', bad: "import { LineChart } from 'recharts';" },
    { file: 'src/engine/format/x.ts', bad: "import { useVirtualizer } from '@tanstack/react-virtual';" },
    { file: 'src/engine/timeline/queries/x.ts', bad: "import { s } from '../../../main/sessions';" },
    { file: 'src/engine/x.ts', bad: "import { r } from '../renderer/src/App';" },
    { file: 'src/engine/x.ts', bad: "export { p } from '../preload/index';" },
    { file: 'src/engine/files/x.ts', bad: "import { runCli } from '../../cli/main';" },
    { file: 'src/engine/files/x.ts', bad: "import type { JournalApi } from '../../shared/api';" },
    { file: 'src/engine/files/x.ts', bad: "const m = await import('../../main/windowOptions');" },
  ],
  'src/renderer imports no electron, node builtins, or non-shared layers': [
    { file: 'src/renderer/src/x.tsx', bad: `import { ipcRenderer } from '${ELECTRON}';` },
    { file: 'src/renderer/src/x.tsx', bad: "import { readFileSync } from 'node:fs';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { join } from 'path';" },
    { file: 'src/renderer/src/x.tsx', bad: "import * as zlib from 'zlib';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { spawn } from 'child_process';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { readFile } from 'fs/promises';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { Worker } from 'worker_threads';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { readHeader } from '../../engine/format';" },
    { file: 'src/renderer/src/deep/x.tsx', bad: "import { mainWindowOptions } from '../../../main/windowOptions';" },
    { file: 'src/renderer/src/x.tsx', bad: "import '../../preload/index';" },
    { file: 'src/renderer/src/x.tsx', bad: "import { runCli } from '../../cli/main';" },
    { file: 'src/renderer/src/x.tsx', bad: "const fs = require('fs');" },
  ],
  "only src/main/electron and src/preload import 'electron'": [
    { file: 'test/x.test.ts', bad: `import { app } from '${ELECTRON}';` },
    { file: 'test/engine/x.test.ts', bad: "const e = await import('electron');" },
    { file: 'src/cli/x.ts', bad: `import { app } from '${ELECTRON}';` },
    { file: 'src/main/x.ts', bad: `import { BrowserWindow } from '${ELECTRON}';` },
    { file: 'src/main/services/x.ts', bad: `import type { BrowserWindow } from '${ELECTRON}';` },
    { file: 'src/main/x.ts', bad: `const { app } = require('${ELECTRON}');` },
    { file: 'src/shared/x.ts', bad: `import { app } from '${ELECTRON}';` },
    { file: 'bench/x.ts', bad: "import { app } from 'electron/main';" },
  ],
  'src/shared is environment-neutral': [
    { file: 'src/shared/x.ts', bad: "import { createHash } from 'node:crypto';" },
    { file: 'src/shared/x.ts', bad: "import { EventEmitter } from 'events';" },
    { file: 'src/shared/x.ts', bad: "import { readHeader } from '../engine/format';" },
    { file: 'src/shared/x.ts', bad: "import { mainWindowOptions } from '../main/windowOptions';" },
    { file: 'src/shared/x.ts', bad: "import { App } from '../renderer/src/App';" },
  ],
  'src/main and src/cli never import the renderer': [
    { file: 'src/main/x.ts', bad: "import { App } from '../renderer/src/App';" },
    { file: 'src/main/electron/x.ts', bad: "import { App } from '../../renderer/src/App';" },
    { file: 'src/cli/x.ts', bad: "import { App } from '../renderer/src/App';" },
    { file: 'src/cli/x.ts', bad: "import { startApp } from '../main/electron/lifecycle';" },
  ],
};

describe.each(Object.entries(PLANTS))('%s', (_title, plants) => {
  test.each(plants)('$file: $bad', async ({ file, bad }) => {
    const code = `export const before = 1;\n${bad}\nexport const after = 2;\n`;
    const errors = await layerErrors(file, code);
    expect(errors.map((e) => e.line)).toEqual([2]);
  });
});

// Allowed imports: none of these may be reported.
const CLEAN: Plant[] = [
  {
    file: 'src/engine/timeline/queries/x.ts',
    bad: [
      "import { readFileSync } from 'node:fs';",
      "import { inflateSync } from 'zlib';",
      "import protobuf from 'protobufjs';",
      "import { grow } from '../growable';",
      "import { crc32 } from '../../format/crc32';",
    ].join('\n'),
  },
  {
    file: 'src/renderer/src/x.tsx',
    bad: [
      "import { useState } from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import { create } from 'zustand';",
      "import { LineChart } from 'recharts';",
      "import { useVirtualizer } from '@tanstack/react-virtual';",
      "import { API_VERSION } from '../../shared/api';",
      "import { App } from './App';",
      "import { z } from 'zod';",
    ].join('\n'),
  },
  { file: 'src/shared/x.ts', bad: "import { z } from 'zod';\nimport { API_VERSION } from './api';" },
  {
    file: 'src/main/electron/x.ts',
    bad: [
      `import { app, BrowserWindow } from '${ELECTRON}';`,
      "import { join } from 'node:path';",
      "import { mainWindowOptions } from '../windowOptions';",
      "import { readHeader } from '../../engine/format';",
      "import { API_VERSION } from '../../shared/api';",
    ].join('\n'),
  },
  {
    file: 'src/main/x.ts',
    bad: "import { readHeader } from '../engine/format';\nimport { API_VERSION } from '../shared/api';",
  },
  {
    file: 'src/preload/x.ts',
    bad: `import { contextBridge, ipcRenderer } from '${ELECTRON}';\nimport { API_VERSION } from '../shared/api';`,
  },
  {
    file: 'src/cli/x.ts',
    bad: [
      "import { parseArgs } from 'node:util';",
      "import { readHeader } from '../engine/format';",
      "import { mainWindowOptions } from '../main/windowOptions';",
    ].join('\n'),
  },
  {
    file: 'test/main/x.test.ts',
    bad: [
      "import { vi } from 'vitest';",
      "import { mainWindowOptions } from '../../src/main/windowOptions';",
      "import { readHeader } from '../../src/engine/format';",
      "vi.mock('electron', () => ({}));",
    ].join('\n'),
  },
];

test.each(CLEAN)('allowed imports in $file are not reported', async ({ file, bad: code }) => {
  const errors = await layerErrors(file, `${code}\n`);
  expect(errors).toEqual([]);
});

test('the real source tree has no layer violations', async () => {
  const results = await eslint.lintFiles(['.']);
  const violations = results.flatMap((r) =>
    r.messages
      .filter((m) => LAYER_RULES.includes(m.ruleId ?? ''))
      .map((m) => `${r.filePath}:${m.line} ${m.message}`),
  );
  expect(violations).toEqual([]);
});
