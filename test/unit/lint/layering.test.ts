import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../harness/cli.ts'

/** Lints a snippet as if it lived at `filePath`, with the project's real configuration. */
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT })
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`)
}

const restricted = (messages: string[]): string[] => messages.filter((m) => m.startsWith('no-restricted-'))

describe('lint guards the layers (style.md §2)', () => {
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
