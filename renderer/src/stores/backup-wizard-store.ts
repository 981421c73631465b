/**
 * The New-backup wizard: the draft request, the step, the mode's automatic selection and the dry-run.
 * Any change to the draft makes the dry-run stale: Run is offered only for the plan the user has seen.
 */
import { create } from 'zustand'
import type { BackupMode } from '../../../shared/backup-types.ts'
import type { BackupPlanView, BackupRequestInput, QuickBackupPreset, Settings } from '../../../shared/ipc.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { planBackup } from '../lib/api.ts'
import {
  cleanRequest,
  draftRequest,
  modePicksDatabases,
  WIZARD_STEPS,
} from '../pages/new-backup/wizard-model.ts'
import type { WizardStep } from '../pages/new-backup/wizard-model.ts'
import { useJobsStore } from './jobs-store.ts'
import { useSettingsStore } from './settings-store.ts'

/** A dry-run (of the whole request, or of the mode's selection only). */
export interface PlanState {
  loading: boolean
  plan: BackupPlanView | null
  error: AppError | null
}

const IDLE: PlanState = { loading: false, plan: null, error: null }

/** The selection dry-run needs a ticket before the user typed one; it never names a file. */
const SELECTION_TICKET = 'selection'

export interface WizardState {
  initialized: boolean
  step: WizardStep
  draft: BackupRequestInput
  /** For all/primary/secondary: which databases the mode picks. */
  selection: PlanState
  preview: PlanState
  running: boolean
  runError: AppError | null
  /** Starts a fresh draft from the settings (once; `reset` starts over). */
  init(settings: Settings, defaultOutputDir: string | null): void
  reset(settings: Settings, defaultOutputDir: string | null): void
  goTo(step: WizardStep): void
  update(change: Partial<BackupRequestInput>): void
  setMode(mode: BackupMode): void
  loadSelection(): Promise<void>
  loadPreview(): Promise<void>
  /** Starts the previewed request; resolves with the job id or the error to show. */
  run(): Promise<Result<{ jobId: string }>>
  /** Saves the draft as a quick backup, with what its form adds (a schedule, …). */
  saveAsPreset(
    label: string,
    extra?: Omit<QuickBackupPreset, 'id' | 'label' | 'request'>,
  ): Promise<AppError | null>
}

// A newer request supersedes an older one still in flight: only the latest answer is shown.
let selectionSequence = 0
let previewSequence = 0

/** A short unique id for a preset (crypto.randomUUID needs a secure context; file:// may not count). */
const presetId = (): string => `preset-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export const useBackupWizardStore = create<WizardState>()((set, get) => ({
  initialized: false,
  step: 'profile',
  draft: draftRequest(useSettingsStore.getState().settings, null),
  selection: IDLE,
  preview: IDLE,
  running: false,
  runError: null,

  init: (settings, defaultOutputDir) => {
    if (!get().initialized) get().reset(settings, defaultOutputDir)
  },

  reset: (settings, defaultOutputDir) =>
    set({
      initialized: true,
      step: 'profile',
      draft: draftRequest(settings, defaultOutputDir),
      selection: IDLE,
      preview: IDLE,
      running: false,
      runError: null,
    }),

  goTo: (step) => {
    set({ step, runError: null })
    if (step === 'preview') void get().loadPreview()
    if (step === 'databases' && modePicksDatabases(get().draft.mode)) void get().loadSelection()
  },

  update: (change) => {
    previewSequence++
    const draft = { ...get().draft, ...change }
    // A new profile means another server: its selection and names no longer apply.
    const profileChanged = change.profile !== undefined && change.profile !== get().draft.profile
    set({
      draft: profileChanged ? { ...draft, databases: [], excludeDatabases: [], tables: undefined } : draft,
      preview: IDLE,
      selection: profileChanged ? IDLE : get().selection,
    })
    const selectionInputs: (keyof BackupRequestInput)[] = [
      'excludeDatabases',
      'excludeSystem',
      'excludeEmpty',
      'companions',
      'prefix',
      'clientCode',
      'instance',
    ]
    const affectsSelection = Object.keys(change).some((key) =>
      selectionInputs.includes(key as keyof BackupRequestInput),
    )
    if (get().step === 'databases' && modePicksDatabases(draft.mode) && affectsSelection)
      void get().loadSelection()
  },

  setMode: (mode) => {
    previewSequence++
    selectionSequence++
    set({
      draft: { ...get().draft, mode, databases: [], excludeDatabases: [], companions: [], tables: undefined },
      selection: IDLE,
      preview: IDLE,
    })
  },

  loadSelection: async () => {
    const sequence = ++selectionSequence
    set({ selection: { ...get().selection, loading: true, error: null } })
    const draft = get().draft
    const result = await planBackup(
      cleanRequest({ ...draft, ticket: draft.ticket.trim() || SELECTION_TICKET }),
    )
    if (sequence !== selectionSequence) return
    set({
      selection: result.ok
        ? { loading: false, plan: result.value, error: null }
        : { loading: false, plan: null, error: result.error },
    })
  },

  loadPreview: async () => {
    const sequence = ++previewSequence
    set({ preview: { loading: true, plan: null, error: null } })
    const result = await planBackup(cleanRequest(get().draft))
    if (sequence !== previewSequence) return
    set({
      preview: result.ok
        ? { loading: false, plan: result.value, error: null }
        : { loading: false, plan: null, error: result.error },
    })
  },

  run: async () => {
    set({ running: true, runError: null })
    const result = await useJobsStore.getState().start(cleanRequest(get().draft), get().preview.plan)
    set({ running: false, runError: result.ok ? null : result.error })
    return result
  },

  saveAsPreset: (label, extra = {}) => {
    // The form's "Copy to" becomes the preset's own destinations (edited on the dashboard).
    const { copyTo, ...request } = cleanRequest(get().draft)
    const preset: QuickBackupPreset = {
      ...(copyTo !== undefined && copyTo.length > 0 ? { copyTo } : {}),
      ...extra,
      id: presetId(),
      label: label.trim(),
      request,
    }
    return useSettingsStore.getState().addPreset(preset)
  },
}))

/** The index of a step (for the stepper's numbering and "back"/"next"). */
export const stepIndex = (step: WizardStep): number => WIZARD_STEPS.indexOf(step)
