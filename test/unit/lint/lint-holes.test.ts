/**
 * The ways around the layer rules of eslint.config.js that a plain no-restricted-imports misses: ipcMain
 * reached through the default or namespace import (or require), window.sfdb written as window['sfdb'], and
 * the engine's own jobs/ folder mistaken for the job process (electron/jobs/) or main's jobs.
 */
import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

// ESLint's start (loading the config and the TypeScript parser) takes seconds on a busy machine.
const LINT_TIMEOUT = 60_000

let eslint: ESLint | undefined

/** The layer problems of a snippet linted as if it lived at `filePath`, with the project's real config. */
async function layerProblems(filePath: string, code: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: ROOT })
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.fatal === true || /^(no-restricted-|sfdb\/)/.test(m.ruleId ?? ''))
    .map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`)
}

describe('ipcMain is used in electron/main/ipc/handle.ts only', () => {
  it.each([
    ['the default import', "import electron from 'electron'\nexport const a = electron.ipcMain\n"],
    ['a renamed default import', "import e from 'electron'\nexport const a = e.ipcMain\n"],
    ['the namespace import', "import * as electron from 'electron'\nexport const a = electron.ipcMain\n"],
    ['a computed member', "import electron from 'electron'\nexport const a = electron['ipcMain']\n"],
    ['destructuring', "import electron from 'electron'\nexport const { ipcMain } = electron\n"],
    ['require', "export const a = require('electron').ipcMain\n"],
    ['a destructured require', "export const { ipcMain: m } = require('electron')\n"],
  ])(
    'electron/main/window.ts: %s is an error',
    async (_how, code) => {
      const problems = await layerProblems('electron/main/window.ts', code)
      expect(problems.join('\n')).toMatch(/Only electron\/main\/ipc\/handle\.ts uses ipcMain/)
    },
    LINT_TIMEOUT,
  )

  it(
    'electron/preload/x.ts: the default import is an error there too',
    async () => {
      const code = "import electron from 'electron'\nexport const a = electron.ipcMain\n"
      const problems = await layerProblems('electron/preload/x.ts', code)
      expect(problems.join('\n')).toMatch(/ipcMain/)
    },
    LINT_TIMEOUT,
  )

  it.each([
    ['electron/main/ipc/handle.ts', "import electron from 'electron'\nexport const a = electron.ipcMain\n"],
    ['electron/main/ipc/handle.ts', "export const a = require('electron').ipcMain\n"],
    ['electron/main/window.ts', "import electron from 'electron'\nexport const a = electron.app\n"],
  ])(
    '%s: allowed (%s)',
    async (file, code) => {
      expect(await layerProblems(file, code)).toEqual([])
    },
    LINT_TIMEOUT,
  )
})

describe('window.sfdb is used in renderer/src/lib/api.ts only', () => {
  it.each([
    ['a computed string', "export const a = () => window['sfdb']\n"],
    ['a computed template', 'export const a = () => window[`sfdb`]\n'],
    ['destructuring', 'export const a = () => {\n  const { sfdb } = window\n  return sfdb\n}\n'],
    ['globalThis', 'export const a = () => globalThis.sfdb\n'],
  ])(
    'renderer/src/pages/x.ts: %s is an error',
    async (_how, code) => {
      const problems = await layerProblems('renderer/src/pages/x.ts', code)
      expect(problems.join('\n')).toMatch(/Only renderer\/src\/lib\/api\.ts uses window\.sfdb/)
    },
    LINT_TIMEOUT,
  )

  it(
    "renderer/src/lib/api.ts: window['sfdb'] is allowed",
    async () => {
      expect(
        await layerProblems('renderer/src/lib/api.ts', "export const a = () => window['sfdb']\n"),
      ).toEqual([])
    },
    LINT_TIMEOUT,
  )
})

describe('the engine does not import its callers, but may import its own jobs/ folder', () => {
  it.each([
    ['electron/engine/x.ts', './jobs/supervise-job.ts'],
    ['electron/engine/backup/x.ts', '../jobs/supervise-job.ts'],
    ['electron/engine/jobs/x.ts', './job-child.ts'],
    ['electron/engine/jobs/x.ts', '../backup/index.ts'],
  ])(
    '%s may import %s',
    async (file, specifier) => {
      const code = `import { x } from '${specifier}'\nexport const a = x\n`
      expect(await layerProblems(file, code)).toEqual([])
    },
    LINT_TIMEOUT,
  )

  it.each([
    // electron/jobs/ is the job process's entry: it calls the engine, never the other way round.
    ['electron/engine/x.ts', '../jobs/backup-job.ts'],
    ['electron/engine/backup/x.ts', '../../jobs/backup-job.ts'],
    ['electron/engine/jobs/x.ts', '../../jobs/job-port.ts'],
    ['electron/engine/x.ts', '../main/jobs/supervisor.ts'],
    ['electron/engine/backup/x.ts', '../../main/jobs/supervisor.ts'],
  ])(
    '%s must not import %s',
    async (file, specifier) => {
      const code = `import { x } from '${specifier}'\nexport const a = x\n`
      expect(await layerProblems(file, code)).not.toEqual([])
    },
    LINT_TIMEOUT,
  )

  it.each([
    ['an export from', "export { x } from '../jobs/backup-job.ts'\n"],
    ['a dynamic import', "export const a = () => import('../jobs/backup-job.ts')\n"],
  ])(
    'electron/engine/x.ts: %s of electron/jobs/ is an error',
    async (_how, code) => {
      expect(await layerProblems('electron/engine/x.ts', code)).not.toEqual([])
    },
    LINT_TIMEOUT,
  )
})

describe('no function in electron/cli is over 80 lines', () => {
  const body = (lines: number): string =>
    `export function f(): number {\n  let n = 0\n${'  n++\n'.repeat(lines - 4)}  return n\n}\n`
  it(
    'an 81-line command function is an error, an 80-line one is not, outside the CLI no such limit',
    async () => {
      eslint ??= new ESLint({ cwd: ROOT })
      const lint = async (file: string, code: string): Promise<string[]> =>
        ((await eslint?.lintText(code, { filePath: file }))?.[0]?.messages ?? []).map((m) => m.ruleId ?? '')
      expect(await lint('electron/cli/commands/x.ts', body(81))).toContain('max-lines-per-function')
      expect(await lint('electron/cli/commands/x.ts', body(80))).not.toContain('max-lines-per-function')
      expect(await lint('electron/engine/x.ts', body(81))).not.toContain('max-lines-per-function')
    },
    LINT_TIMEOUT,
  )
})
