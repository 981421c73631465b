/**
 * The Restore wizard's model, free of React: its steps, the draft the user edits, what each step still
 * needs, and the request the draft becomes (restore:plan, restore:start).
 */
import type { RestoreRequestInput, RestoreSourceView, RestoreTargetInfo } from '../../../../shared/ipc.ts'
import type { RestoreTargetView } from '../../../../shared/restore-types.ts'
import type { MessageKey } from '../../i18n/messages.ts'

export const RESTORE_STEPS = ['target', 'options', 'review'] as const
export type RestoreStep = (typeof RESTORE_STEPS)[number]

export type GrantsChoice = 'auto' | 'skip' | 'file'

/** What the user edits. */
export interface RestoreDraft {
  /** The backup file's absolute path, or with `destination` its name on that destination. */
  file: string
  /** The offsite destination the file is read from ('' = a local file). */
  destination: string
  profile: string
  /** The database the file goes into ('' until typed). */
  targetDatabase: string
  /** An all/combined file: each of its databases under its own name (targetDatabase is then ignored). */
  ownNames: boolean
  grants: GrantsChoice
  grantsFile: string
  preBackup: boolean
  dropTarget: boolean
  parallel: number
  force: boolean
  ticket: string
  /** A backup key typed for an encrypted file none of the stored keys opens ('' = the stored ones). */
  key: string
}

export const emptyDraft = (file = '', destination = ''): RestoreDraft => ({
  file,
  destination,
  profile: '',
  targetDatabase: '',
  ownNames: false,
  grants: 'auto',
  grantsFile: '',
  preBackup: true,
  dropTarget: false,
  parallel: 1,
  force: false,
  ticket: '',
  key: '',
})

/** A database name MariaDB takes: 1–64 characters, no slash, backslash or dot, no trailing space. */
export const isDatabaseName = (name: string): boolean =>
  name.length > 0 && name.length <= 64 && !/[/\\.]/.test(name) && name === name.trimEnd()

/** An all/combined file (several databases, none of them "the" database). */
export const isMultiDatabase = (source: RestoreSourceView | null): boolean =>
  source !== null && source.sourceDatabase === null

const isAbsolutePath = (path: string): boolean => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)

/** What a step still needs before the next one, as message keys (empty: complete). */
export function stepProblems(
  step: RestoreStep,
  draft: RestoreDraft,
  source: RestoreSourceView | null,
): MessageKey[] {
  const problems: MessageKey[] = []
  if (step === 'target') {
    const named = draft.destination !== '' ? draft.file.trim() !== '' : isAbsolutePath(draft.file.trim())
    if (!named) problems.push('restore.problem.file')
    else if (source === null) problems.push('restore.problem.source')
    if (draft.profile === '') problems.push('restore.problem.profile')
    const ownNames = draft.ownNames && isMultiDatabase(source)
    if (!ownNames && !isDatabaseName(draft.targetDatabase.trim())) problems.push('restore.problem.database')
  } else if (step === 'options') {
    if (draft.grants === 'file' && !isAbsolutePath(draft.grantsFile.trim()))
      problems.push('restore.problem.grantsFile')
    if (!Number.isInteger(draft.parallel) || draft.parallel < 1 || draft.parallel > 16)
      problems.push('restore.problem.parallel')
    if (draft.ticket.trim() === '') problems.push('restore.problem.ticket')
  }
  return problems
}

/** The request of a draft (what restore:plan and restore:start get). */
export function requestOf(draft: RestoreDraft, source: RestoreSourceView | null): RestoreRequestInput {
  const ownNames = draft.ownNames && isMultiDatabase(source)
  return {
    file: draft.file.trim(),
    profile: draft.profile,
    targetDatabase: ownNames ? null : draft.targetDatabase.trim(),
    grants: draft.grants === 'file' ? { file: draft.grantsFile.trim() } : draft.grants,
    preBackup: draft.preBackup,
    dropTarget: draft.dropTarget,
    parallel: draft.parallel,
    force: draft.force,
    ticket: draft.ticket.trim(),
    ...(draft.key.trim() === '' ? {} : { key: draft.key }),
    ...(draft.destination === '' ? {} : { destination: draft.destination }),
  }
}

/** How the wizard says what a target is now, as a message key and its values. */
export function targetState(
  info: RestoreTargetInfo | null,
): { key: MessageKey; values: { database: string; tables: number; sizeBytes: number } } | null {
  if (info === null) return null
  const values = { database: info.database, tables: info.tables, sizeBytes: info.sizeBytes }
  if (!info.exists) return { key: 'restore.target.missing', values }
  if (info.tables === 0) return { key: 'restore.target.empty', values }
  return { key: 'restore.target.exists', values }
}

/** The message key of a dry-run target action. */
export const actionKey = (action: RestoreTargetView['action']): MessageKey => `restore.action.${action}`
