/**
 * The New-backup wizard's rules, free of React: the steps, the request a draft becomes, and what each step
 * still needs before the next one.
 */
import type { CompressionType } from '../../../../shared/backup-types.ts'
import { COMPRESSION_LEVELS, isCompressionLevel } from '../../../../shared/compression.ts'
import type { BackupRequestInput, Settings } from '../../../../shared/ipc.ts'
import type { MessageKey, MessageValues } from '../../i18n/messages.ts'
import { patternProblem } from '../../lib/file-name-preview.ts'
import { refusedDumpArgs, requestDumpArgs, requestTables } from './table-rules.ts'

export const WIZARD_STEPS = ['profile', 'mode', 'databases', 'options', 'ticket', 'preview'] as const
export type WizardStep = (typeof WIZARD_STEPS)[number]

/** Inclusive level range per compression type as [min, max], from the one table in shared/compression.ts. */
export const LEVEL_RANGES: Readonly<Record<CompressionType, readonly [number, number]>> = Object.fromEntries(
  Object.entries(COMPRESSION_LEVELS).map(([type, { min, max }]) => [type, [min, max] as const]),
) as Record<CompressionType, readonly [number, number]>

export type Companion = BackupRequestInput['companions'][number]
export const COMPANIONS: readonly Companion[] = ['_dmart', '_temp', '_archive']

/** A fresh draft from the settings' defaults. */
export function draftRequest(settings: Settings, defaultOutputDir: string | null): BackupRequestInput {
  const { defaults } = settings
  return {
    profile: '',
    mode: 'single',
    databases: [],
    filterMode: 'multi-file',
    companions: [],
    excludeDatabases: [],
    excludeSystem: true,
    excludeEmpty: false,
    excludeData: false,
    excludeUser: false,
    captureGtid: false,
    compression: { ...defaults.compression },
    encrypt: defaults.encrypt,
    outputDir: defaults.outputDir || defaultOutputDir || '',
    namePattern: defaults.namePattern || 'default',
    ticket: '',
    parallel: 1,
    // undefined: the configured prefix (Settings → shared configuration), shown in the field.
    prefix: undefined,
    clientCode: '',
    instance: '',
  }
}

/** Which selection a mode makes: the user picks (single, filter) or the mode does (all, primary, secondary). */
export const modePicksDatabases = (mode: BackupRequestInput['mode']): boolean =>
  mode === 'all' || mode === 'primary' || mode === 'secondary'

/** The request as main gets it: only the fields the mode uses, no empty optional text. */
export function cleanRequest(draft: BackupRequestInput): BackupRequestInput {
  const { filterMode, prefix, clientCode, instance, tables, dumpArgs, ...rest } = draft
  const request: BackupRequestInput = {
    ...rest,
    ticket: draft.ticket.trim(),
    databases: modePicksDatabases(draft.mode) ? [] : draft.databases,
    companions:
      draft.mode === 'single' || draft.mode === 'primary' || draft.mode === 'secondary'
        ? draft.companions
        : [],
  }
  if (draft.mode === 'filter') request.filterMode = filterMode ?? 'multi-file'
  if (draft.mode === 'primary' || draft.mode === 'secondary') {
    // Left untouched: main applies the configured prefix; emptied: every name.
    if (prefix !== undefined) request.prefix = prefix.trim()
    if (clientCode?.trim()) request.clientCode = clientCode.trim()
  }
  if (draft.mode === 'secondary' && instance?.trim()) request.instance = instance.trim()
  const ownTables = tables === undefined ? undefined : requestTables(draft)
  if (ownTables !== undefined) request.tables = ownTables
  const ownArgs = requestDumpArgs(dumpArgs)
  if (ownArgs.length > 0) request.dumpArgs = ownArgs
  return request
}

/** A field's problem in a step: which field, and the message key that says how to fix it. */
export interface StepProblem {
  field: 'profile' | 'databases' | 'outputDir' | 'namePattern' | 'parallel' | 'level' | 'ticket' | 'dumpArgs'
  message: MessageKey
  /** The message's placeholder values (the level's range). */
  values?: MessageValues
}

/** What a step still needs; empty when the user may go on. */
export function stepProblems(step: WizardStep, draft: BackupRequestInput): StepProblem[] {
  switch (step) {
    case 'profile':
      return draft.profile ? [] : [{ field: 'profile', message: 'wizard.problem.profile' }]
    case 'mode':
      return []
    case 'databases':
      if (draft.mode === 'single' && draft.databases.length !== 1)
        return [{ field: 'databases', message: 'wizard.problem.single' }]
      if (draft.mode === 'filter' && draft.databases.length === 0)
        return [{ field: 'databases', message: 'wizard.problem.filter' }]
      return []
    case 'options':
      return optionProblems(draft)
    case 'ticket':
      return draft.ticket.trim() ? [] : [{ field: 'ticket', message: 'wizard.problem.ticket' }]
    case 'preview':
      return []
  }
}

function optionProblems(draft: BackupRequestInput): StepProblem[] {
  const problems: StepProblem[] = []
  if (!draft.outputDir.trim()) problems.push({ field: 'outputDir', message: 'wizard.problem.outputDir' })
  if (!draft.namePattern.trim() || patternProblem(draft.namePattern) !== null)
    problems.push({ field: 'namePattern', message: 'wizard.problem.namePattern' })
  if (!isCompressionLevel(draft.compression.type, draft.compression.level))
    problems.push({
      field: 'level',
      message: 'wizard.problem.level',
      values: { min: LEVEL_RANGES[draft.compression.type][0], max: LEVEL_RANGES[draft.compression.type][1] },
    })
  if (!Number.isInteger(draft.parallel) || draft.parallel < 1 || draft.parallel > 16)
    problems.push({ field: 'parallel', message: 'wizard.problem.parallel' })
  if (refusedDumpArgs(draft.dumpArgs).length > 0)
    problems.push({ field: 'dumpArgs', message: 'wizard.problem.dumpArgs' })
  return problems
}

/** The first step (in order) that still has a problem, or null when the request is complete. */
export function firstIncompleteStep(draft: BackupRequestInput): WizardStep | null {
  return WIZARD_STEPS.find((step) => stepProblems(step, draft).length > 0) ?? null
}
