import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // Bundled rather than loaded from node_modules: resolving their ≈ 150 files cost the CLI and each job
      // process ≈ 80–100 ms of every start on 2 cores (measured: the first dump of a run started that much
      // sooner, 6 runs each). Native addons (lzma-native, the keyring) and ssh2 (loaded only for a tunnel)
      // stay external.
      externalizeDeps: { exclude: ['mysql2', 'zod', 'yaml'] },
      rollupOptions: {
        // The main process, the job entry (forked by the CLI under Node, by the main process as a
        // utility process) and the headless CLI share one build so they share the engine chunks.
        input: {
          index: resolve('electron/main/index.ts'),
          'backup-job': resolve('electron/jobs/backup-job.ts'),
          cli: resolve('electron/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // sandbox: true needs a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: { rollupOptions: { input: resolve('renderer/index.html') } },
    plugins: [react()],
  },
})
