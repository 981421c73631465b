/**
 * The built preload must load in Electron's sandbox, where require() knows only electron (and a few
 * built-in polyfills): an npm import such as zod would leave window.sfdb undefined at runtime. Electron
 * cannot run on the build machine, so the bundle is checked instead.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from './harness/paths.ts'

describe('built preload', () => {
  it('is CommonJS that requires nothing but electron', () => {
    const code = readFileSync(join(REPO_ROOT, 'out/preload/index.cjs'), 'utf8')
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1])
    expect(required).toEqual(['electron'])
    expect(code).not.toMatch(/^\s*(import|export)\s/m)
    expect(code).toContain('exposeInMainWorld("sfdb"')
  })
})
