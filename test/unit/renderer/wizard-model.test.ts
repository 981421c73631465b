import { describe, expect, it } from 'vitest'
import { COMPRESSION_LEVELS } from '../../../shared/compression.ts'
import { backupRequestSchema, type BackupRequestInput, type Settings } from '../../../shared/ipc.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import {
  LEVEL_RANGES,
  WIZARD_STEPS,
  cleanRequest,
  draftRequest,
  firstIncompleteStep,
  modePicksDatabases,
  stepProblems,
  type StepProblem,
} from '../../../renderer/src/pages/new-backup/wizard-model.ts'

const settings: Settings = {
  defaults: {
    compression: { type: 'gzip', level: 7 },
    outputDir: '/srv/backups',
    namePattern: 'sfdbtools',
    encrypt: true,
  },
  dumpBinary: null,
  retention: { enabled: false, retentionDays: 0, minBackups: 3 },
  theme: 'system',
  language: 'en',
  historyFolders: [],
  presets: [],
  startAtLogin: false,
}

/** A draft that every step accepts. */
function complete(changes: Partial<BackupRequestInput> = {}): BackupRequestInput {
  return {
    ...draftRequest(settings, null),
    profile: 'prod',
    databases: ['shop'],
    ticket: 'CHG-1',
    ...changes,
  }
}

const fields = (problems: StepProblem[]): string[] => problems.map((p) => p.field)

describe('draftRequest', () => {
  it('starts from the settings’ defaults', () => {
    const draft = draftRequest(settings, '/home/me/backups')
    expect(draft).toMatchObject({
      profile: '',
      mode: 'single',
      databases: [],
      compression: { type: 'gzip', level: 7 },
      encrypt: true,
      outputDir: '/srv/backups',
      namePattern: 'sfdbtools',
      ticket: '',
      parallel: 1,
      excludeSystem: true,
    })
  })

  it('copies the default compression instead of sharing it with the settings', () => {
    const draft = draftRequest(settings, null)
    draft.compression.level = 1
    expect(settings.defaults.compression.level).toBe(7)
  })

  it('falls back to the app’s output folder, then to nothing; an empty pattern to "default"', () => {
    const noDefaults = { ...settings, defaults: { ...settings.defaults, outputDir: '', namePattern: '' } }
    expect(draftRequest(noDefaults, '/home/me/backups').outputDir).toBe('/home/me/backups')
    expect(draftRequest(noDefaults, null).outputDir).toBe('')
    expect(draftRequest(noDefaults, null).namePattern).toBe('default')
  })
})

describe('modePicksDatabases', () => {
  it('all, primary and secondary choose the databases themselves', () => {
    expect(
      ['single', 'filter', 'all', 'primary', 'secondary'].filter((m) => modePicksDatabases(m as never)),
    ).toEqual(['all', 'primary', 'secondary'])
  })
})

describe('stepProblems', () => {
  it('profile: one must be chosen', () => {
    expect(stepProblems('profile', complete({ profile: '' }))).toEqual([
      { field: 'profile', message: 'wizard.problem.profile' },
    ])
    expect(stepProblems('profile', complete())).toEqual([])
  })

  it('databases: exactly one for single, at least one for filter, none needed for the others', () => {
    expect(stepProblems('databases', complete({ databases: [] }))).toEqual([
      { field: 'databases', message: 'wizard.problem.single' },
    ])
    expect(fields(stepProblems('databases', complete({ databases: ['a', 'b'] })))).toEqual(['databases'])
    expect(stepProblems('databases', complete({ mode: 'filter', databases: [] }))).toEqual([
      { field: 'databases', message: 'wizard.problem.filter' },
    ])
    expect(stepProblems('databases', complete({ mode: 'filter', databases: ['a', 'b'] }))).toEqual([])
    for (const mode of ['all', 'primary', 'secondary'] as const)
      expect(stepProblems('databases', complete({ mode, databases: [] }))).toEqual([])
  })

  it('options: output folder, name pattern, level and parallel, each with its own key', () => {
    const problems = stepProblems(
      'options',
      complete({
        outputDir: '   ',
        namePattern: '{db}_{nope}',
        compression: { type: 'gzip', level: 12 },
        parallel: 0,
      }),
    )
    expect(problems).toEqual([
      { field: 'outputDir', message: 'wizard.problem.outputDir' },
      { field: 'namePattern', message: 'wizard.problem.namePattern' },
      // The range fills the message's placeholders ("Use a level from 1 to 9."), in both languages.
      { field: 'level', message: 'wizard.problem.level', values: { min: 1, max: 9 } },
      { field: 'parallel', message: 'wizard.problem.parallel' },
    ])
    const level = problems.find((p) => p.field === 'level')
    expect(translator('en')(level!.message, level!.values)).toBe('Use a level from 1 to 9.')
    expect(translator('id')(level!.message, level!.values)).not.toMatch(/[{}]/)
    expect(stepProblems('options', complete())).toEqual([])
  })

  it.each([
    ['default', true],
    ['sfdbtools', true],
    ['{db}_{date}_{ticket}', true],
    ['{db}_{nope}', false],
    ['backups/{db}_{date}', false],
    ['   ', false],
  ])('options: name pattern %j is accepted: %s', (namePattern, ok) => {
    expect(fields(stepProblems('options', complete({ namePattern }))).includes('namePattern')).toBe(!ok)
  })

  it.each([
    ['zstd', 19, true],
    ['zstd', 20, false],
    ['gzip', 9, true],
    ['gzip', 19, false],
    ['xz', 0, false],
    ['pgzip', 2.5, false],
    ['none', 0, true],
    ['none', 3, false],
  ] as const)('options: %s level %d is accepted: %s', (type, level, ok) => {
    const problems = stepProblems('options', complete({ compression: { type, level } }))
    expect(fields(problems).includes('level')).toBe(!ok)
  })

  it.each([
    [1, true],
    [16, true],
    [17, false],
    [0, false],
    [1.5, false],
  ])('options: %d parallel dumps accepted: %s', (parallel, ok) => {
    expect(fields(stepProblems('options', complete({ parallel }))).includes('parallel')).toBe(!ok)
  })

  it('ticket: blank is not a ticket', () => {
    expect(stepProblems('ticket', complete({ ticket: '  ' }))).toEqual([
      { field: 'ticket', message: 'wizard.problem.ticket' },
    ])
  })

  it('mode and preview never hold the user back', () => {
    const empty = draftRequest(settings, null)
    expect(stepProblems('mode', empty)).toEqual([])
    expect(stepProblems('preview', empty)).toEqual([])
  })

  it('every problem has a text in both languages', () => {
    const keys = WIZARD_STEPS.flatMap((step) =>
      stepProblems(
        step,
        complete({
          profile: '',
          databases: [],
          outputDir: '',
          namePattern: '{x}',
          compression: { type: 'zstd', level: 99 },
          parallel: 0,
          ticket: '',
        }),
      ),
    ).map((p) => p.message)
    expect(keys).toHaveLength(7)
    for (const language of ['en', 'id'] as const) {
      const t = translator(language)
      for (const key of keys) expect(t(key, { min: 1, max: 19 })).toMatch(/^[^{}]+$/)
    }
  })
})

describe('firstIncompleteStep', () => {
  it('the earliest step that still has a problem, in wizard order', () => {
    const empty = draftRequest(settings, null)
    expect(firstIncompleteStep(empty)).toBe('profile')
    expect(firstIncompleteStep({ ...empty, profile: 'prod' })).toBe('databases')
    expect(firstIncompleteStep({ ...empty, profile: 'prod', databases: ['shop'] })).toBe('ticket')
    expect(firstIncompleteStep(complete({ parallel: 99, ticket: '' }))).toBe('options')
    expect(firstIncompleteStep(complete())).toBeNull()
  })
})

describe('cleanRequest', () => {
  it('trims the ticket and keeps only what the mode uses', () => {
    const request = cleanRequest(
      complete({
        ticket: '  CHG-1  ',
        companions: ['_dmart'],
        filterMode: 'single-file',
        prefix: 'p',
        clientCode: 'c',
        instance: '2',
      }),
    )
    expect(request.ticket).toBe('CHG-1')
    expect(request.databases).toEqual(['shop'])
    expect(request.companions).toEqual(['_dmart'])
    expect(request).not.toHaveProperty('filterMode')
    expect(request).not.toHaveProperty('prefix')
    expect(request).not.toHaveProperty('clientCode')
    expect(request).not.toHaveProperty('instance')
  })

  it('filter: its file mode (multi-file when unset), no companions', () => {
    const draft = complete({ mode: 'filter', databases: ['a', 'b'], companions: ['_temp'] })
    expect(cleanRequest({ ...draft, filterMode: 'single-file' })).toMatchObject({
      filterMode: 'single-file',
      companions: [],
      databases: ['a', 'b'],
    })
    expect(cleanRequest({ ...draft, filterMode: undefined }).filterMode).toBe('multi-file')
  })

  it('all: the mode picks the databases; no companions', () => {
    const request = cleanRequest(complete({ mode: 'all', databases: ['stale'], companions: ['_archive'] }))
    expect(request.databases).toEqual([])
    expect(request.companions).toEqual([])
  })

  it('primary and secondary: trimmed prefix and client code, empty ones left out; instance for secondary only', () => {
    const primary = cleanRequest(
      complete({
        mode: 'primary',
        prefix: ' acme ',
        clientCode: '   ',
        instance: '2',
        companions: ['_dmart'],
      }),
    )
    expect(primary.prefix).toBe('acme')
    expect(primary).not.toHaveProperty('clientCode')
    expect(primary).not.toHaveProperty('instance')
    expect(primary.companions).toEqual(['_dmart'])
    const secondary = cleanRequest(complete({ mode: 'secondary', clientCode: 'c1 ', instance: ' 2 ' }))
    expect(secondary.clientCode).toBe('c1')
    expect(secondary.instance).toBe('2')
  })

  it('primary: an untouched prefix is left to the configured one; an emptied one takes every name', () => {
    expect(draftRequest(settings, null).prefix).toBeUndefined()
    expect(cleanRequest(complete({ mode: 'primary', prefix: undefined }))).not.toHaveProperty('prefix')
    expect(cleanRequest(complete({ mode: 'primary', prefix: '  ' })).prefix).toBe('')
  })

  it('a complete draft becomes a request that main’s schema accepts', () => {
    for (const mode of ['single', 'filter', 'all', 'primary', 'secondary'] as const) {
      const draft = complete({ mode, prefix: 'p', instance: '1' })
      expect(firstIncompleteStep(draft)).toBeNull()
      expect(backupRequestSchema.safeParse(cleanRequest(draft)).success).toBe(true)
    }
  })
})

describe('LEVEL_RANGES', () => {
  it('is the shared table of compression levels, as [min, max]', () => {
    for (const [type, { min, max }] of Object.entries(COMPRESSION_LEVELS))
      expect(LEVEL_RANGES[type as keyof typeof LEVEL_RANGES]).toEqual([min, max])
    expect(Object.keys(LEVEL_RANGES).sort()).toEqual(Object.keys(COMPRESSION_LEVELS).sort())
  })
})
