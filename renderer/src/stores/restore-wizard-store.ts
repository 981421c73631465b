/**
 * The Restore wizard: the backup file and what it holds, the target profile and database (with the target
 * as it is now), the options, and the real dry-run as the last step; Run starts the restore job.
 */
import { create } from 'zustand'
import type { RestorePlanView, RestoreSourceView, RestoreTargetInfo } from '../../../shared/ipc.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { describeRestoreSource, fetchRestoreTarget, planRestore } from '../lib/api.ts'
import {
  emptyDraft,
  isDatabaseName,
  requestOf,
  RESTORE_STEPS,
  type RestoreDraft,
  type RestoreStep,
} from '../pages/restore/restore-model.ts'
import { useProfilesStore } from './profiles-store.ts'
import { useRestoreStore } from './restore-store.ts'

export interface SourceState {
  file: string
  /** The destination it is read from ('' = a local file). */
  destination: string
  loading: boolean
  view: RestoreSourceView | null
  error: AppError | null
}

export interface TargetState {
  /** The profile and database asked about. */
  profile: string
  database: string
  loading: boolean
  info: RestoreTargetInfo | null
  error: AppError | null
}

export interface RestorePlanState {
  loading: boolean
  view: RestorePlanView | null
  error: AppError | null
}

export interface RestoreWizardState {
  step: RestoreStep
  draft: RestoreDraft
  source: SourceState | null
  target: TargetState | null
  plan: RestorePlanState
  running: boolean
  runError: AppError | null
  /**
   * Starts over with this file (from History → Restore…, or a file chosen elsewhere); with `destination`,
   * the file of that name on the destination (History → Restore from <destination>).
   */
  open(file: string, destination?: string): void
  update(patch: Partial<RestoreDraft>): void
  /** Reads what the draft's file holds (its database becomes the target's default). */
  describe(): Promise<void>
  /** Asks the target server about the draft's target database. */
  checkTarget(): Promise<void>
  goTo(step: RestoreStep): void
  refreshPlan(): Promise<void>
  run(): Promise<Result<{ jobId: string }>>
  reset(): void
}

const idlePlan: RestorePlanState = { loading: false, view: null, error: null }

/** The first profile that opens: where a restore goes unless the backup's own server has one. */
const firstProfile = (): string => {
  const entry = useProfilesStore.getState().entries.find((e) => e.status === 'ok')
  return entry?.name ?? ''
}

export const useRestoreWizardStore = create<RestoreWizardState>()((set, get) => ({
  step: 'target',
  draft: emptyDraft(),
  source: null,
  target: null,
  plan: idlePlan,
  running: false,
  runError: null,

  open(file, destination = '') {
    set({
      step: 'target',
      draft: { ...emptyDraft(file, destination), profile: firstProfile() },
      source: null,
      target: null,
      plan: idlePlan,
      runError: null,
    })
    void get().describe()
  },

  update(patch) {
    const draft = { ...get().draft, ...patch }
    // A changed request makes the dry-run stale.
    set({ draft, plan: idlePlan, runError: null })
    if (
      (patch.file !== undefined && patch.file !== get().source?.file) ||
      (patch.destination !== undefined && patch.destination !== (get().source?.destination ?? ''))
    )
      set({ source: null })
  },

  async describe() {
    const file = get().draft.file.trim()
    const destination = get().draft.destination
    if (file === '') return
    set({ source: { file, destination, loading: true, view: null, error: null } })
    const result = await describeRestoreSource(file, destination === '' ? undefined : destination)
    if (get().draft.file.trim() !== file || get().draft.destination !== destination) return
    if (!result.ok) {
      set({ source: { file, destination, loading: false, view: null, error: result.error } })
      return
    }
    const view = result.value
    const { draft } = get()
    const profiles = useProfilesStore.getState().entries
    const own = view.profile !== null && profiles.some((p) => p.name === view.profile && p.status === 'ok')
    set({
      source: { file, destination, loading: false, view, error: null },
      draft: {
        ...draft,
        targetDatabase: draft.targetDatabase || (view.sourceDatabase ?? ''),
        ownNames: view.sourceDatabase === null,
        profile: draft.profile || (own && view.profile !== null ? view.profile : firstProfile()),
      },
    })
  },

  async checkTarget() {
    const { profile, targetDatabase } = get().draft
    const database = targetDatabase.trim()
    if (profile === '' || !isDatabaseName(database)) {
      set({ target: null })
      return
    }
    const known = get().target
    if (known !== null && known.profile === profile && known.database === database && !known.error) return
    set({ target: { profile, database, loading: true, info: null, error: null } })
    const result = await fetchRestoreTarget(profile, database)
    const now = get().target
    // Only the answer for the name still in the field counts.
    if (now === null || now.profile !== profile || now.database !== database) return
    set({
      target: result.ok
        ? { ...now, loading: false, info: result.value }
        : { ...now, loading: false, error: result.error },
    })
  },

  goTo(step) {
    set({ step })
    if (step === 'review') void get().refreshPlan()
  },

  async refreshPlan() {
    const request = requestOf(get().draft, get().source?.view ?? null)
    set({ plan: { loading: true, view: null, error: null } })
    const result = await planRestore(request)
    // The draft changed while the server was asked: that answer is stale.
    if (JSON.stringify(requestOf(get().draft, get().source?.view ?? null)) !== JSON.stringify(request)) return
    set({
      plan: result.ok
        ? { loading: false, view: result.value, error: null }
        : { loading: false, view: null, error: result.error },
    })
  },

  async run() {
    set({ running: true, runError: null })
    const result = await useRestoreStore.getState().start(requestOf(get().draft, get().source?.view ?? null))
    set({ running: false, runError: result.ok ? null : result.error })
    return result
  },

  reset() {
    set({
      step: RESTORE_STEPS[0],
      draft: { ...emptyDraft(), profile: firstProfile() },
      source: null,
      target: null,
      plan: idlePlan,
      running: false,
      runError: null,
    })
  },
}))
