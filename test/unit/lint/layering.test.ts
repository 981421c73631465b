import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../harness/cli.ts'

/** One ESLint for the file: it loads the configuration (and its plugins) once, not once per snippet. */
const eslint = new ESLint({ cwd: ROOT })

/** Lints a snippet as if it lived at `filePath`, with the project's real configuration. */
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`)
}

const restricted = (messages: string[]): string[] => messages.filter((m) => m.startsWith('no-restricted-'))

// The first snippet loads the whole configuration (typescript-eslint, React plugins): seconds on a busy
// machine. What is tested is the verdict, not the speed.
describe('lint guards the layers (docs/architecture.md, "Folders")', { timeout: 60_000 }, () => {
  it.each([
    ['electron/engine/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['electron/cli/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['shared/x.ts', "import { readFile } from 'node:fs'\nexport const a = readFile\n"],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs'\nexport const a = readFile\n"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n"],
    ['electron/main/window.ts', "import { ipcMain } from 'electron'\nexport const a = ipcMain\n"],
    ['electron/main/ipc/handlers/x.ts', "import { shell } from 'electron'\nexport const a = shell\n"],
    ['renderer/src/pages/x.ts', 'export const a = () => window.sfdb\n'],
    ['electron/engine/x.ts', "import { main } from '../cli/index.ts'\nexport const a = main\n"],
  ])('%s: forbidden import is an error', async (file, code) => {
    expect(restricted(await ruleIds(file, code))).not.toEqual([])
  })

  it.each([
    ['electron/main/ipc/handle.ts', "import { ipcMain } from 'electron'\nexport const a = ipcMain\n"],
    ['electron/engine/x.ts', "import { readFile } from 'node:fs'\nexport const a = readFile\n"],
    ['renderer/src/lib/api.ts', 'export const a = () => window.sfdb\n'],
    ['shared/x.ts', "import { z } from 'zod'\nexport const a = z\n"],
  ])('%s: allowed import passes', async (file, code) => {
    expect(restricted(await ruleIds(file, code))).toEqual([])
  })
})
