import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
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
