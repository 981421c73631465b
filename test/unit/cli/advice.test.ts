/**
 * Engine messages are surface-neutral; each surface phrases the advice: the CLI with its flags, the app in
 * English and Bahasa Indonesia. These checks fail when a code has no words on a surface, when a phrase
 * leaves a placeholder unfilled, or when an engine message names a CLI flag again.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXCLUSION_REASONS } from '../../../shared/backup-types.ts'
import { ADVICE_CODES, type Advice, type AdviceCode } from '../../../shared/result.ts'
import { adviceText, errorText, exclusionText, noticeText } from '../../../electron/cli/advice.ts'

const ROOT = join(import.meta.dirname, '../../..')

import { ADVICE_PARAMS as PARAMS } from '../renderer/advice-params.ts'

const every: Advice[] = ADVICE_CODES.map((code: AdviceCode) => ({ code, params: PARAMS }))

describe('advice phrased by each surface', () => {
  it('the CLI has words for every advice code and exclusion reason, with its flags', () => {
    for (const a of every) expect(adviceText(a), a.code).toMatch(/\S/)
    expect(adviceText({ code: 'diskSpace', params: PARAMS })).toContain('--skip-disk-check')
    expect(adviceText({ code: 'notEncrypted', params: PARAMS })).toContain('--decompress')
    for (const reason of EXCLUSION_REASONS) expect(exclusionText({ reason, value: '_dmart' })).toMatch(/\S/)
    expect(exclusionText({ reason: 'empty' })).toContain('--exclude-empty')
    expect(
      errorText({ code: 'MissingKey', message: 'x.enc is encrypted', advice: { code: 'backupKeyRequired' } }),
    ).toBe(
      'error [MissingKey]: x.enc is encrypted\n  fix: give the backup key with --encryption-key/-K, ' +
        'SFDB_BACKUP_ENCRYPTION_KEY or `sfdbtools key set backup-key`',
    )
    expect(noticeText({ message: 'plain' })).toBe('plain')
  })
})

/** Every .ts file under electron/engine. */
function engineSources(dir = join(ROOT, 'electron', 'engine')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? engineSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/** The message literals of `new EngineError(code, '…')` and of `message: '…'` notices in a source text. */
export function engineMessages(text: string): string[] {
  const out: string[] = []
  const patterns = [
    /new EngineError\(\s*'\w+',\s*(?:\n\s*)?(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')/g,
    /\bmessage:\s*(?:\n\s*)?(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')/g,
  ]
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1] ?? '')
  return out
}

/** A CLI flag, a CLI command or one of the CLI's environment variables. */
const CLI_WORDS = /(^|[\s(`'])--[a-z][a-z-]+|sfdbtools [a-z]|SFDB_[A-Z_]+=/

describe('engine messages name no surface', () => {
  it('the detector finds a flag in a message and passes a neutral one', () => {
    expect(engineMessages("throw new EngineError('InvalidInput', 'pass --skip-disk-check')")).toEqual([
      "'pass --skip-disk-check'",
    ])
    expect(CLI_WORDS.test("'pass --skip-disk-check'")).toBe(true)
    expect(CLI_WORDS.test('`run sfdbtools profile list`')).toBe(true)
    expect(CLI_WORDS.test("'not enough disk space in /x'")).toBe(false)
  })

  it('no EngineError message or notice in electron/engine names a flag, command or variable', () => {
    const found: string[] = []
    // config/settings.ts resolves the CLI's own flags (flag > env > config) and names the one that gave a
    // bad value; every other engine message is for any surface.
    const sources = engineSources().filter((f) => !f.endsWith(join('config', 'settings.ts')))
    expect(sources.length).toBeGreaterThan(50)
    for (const file of sources)
      for (const m of engineMessages(readFileSync(file, 'utf8')))
        if (CLI_WORDS.test(m)) found.push(`${file.slice(ROOT.length + 1)}: ${m}`)
    expect(found).toEqual([])
  })
})
