import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles, one per environment: the main process (plus the `jrn` CLI and the index
// worker thread, which share the engine and main-process services), the sandboxed preload
// (one CommonJS file), and
// the renderer (a plain web app that only knows the API contract in src/shared).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          jrn: resolve(__dirname, 'src/cli/jrn.ts'),
          // The index worker thread (src/main/indexer/client.ts finds it beside the bundles).
          indexWorker: resolve(__dirname, 'src/main/indexer/worker.ts'),
          // The index's file scanner thread (src/engine/timeline/scanPool.ts finds it likewise).
          scanWorker: resolve(__dirname, 'src/engine/timeline/scanWorker.ts'),
          // The timeline index alone, as built: what `npm run bench -- timeline` measures.
          timeline: resolve(__dirname, 'src/engine/timeline/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle everything it imports.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified; the renderer is the one loaded over HTTP too.
      minify: 'esbuild',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
