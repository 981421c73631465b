/** Where the user is: the current section, and a finished job's result to bring into view. */
import { create } from 'zustand'
import type { PageId } from '../sections.ts'

export interface NavigationState {
  section: PageId
  /** The open page has unsaved changes: leaving it asks first (the page shows the question). */
  unsaved: boolean
  /** A section asked for while there were unsaved changes, waiting for the answer. */
  pendingSection: PageId | null
  setUnsaved(unsaved: boolean): void
  /** The answer: leave (losing the changes) or stay. */
  resolveLeave(leave: boolean): void
  /** A result the Jobs page should scroll to and focus (then clear). */
  focusResult: string | null
  go(section: PageId): void
  /** Opens the Jobs page at a job's result (a notification was clicked). */
  openResult(jobId: string): void
  resultFocused(): void
  /** A quick backup whose ticket the dashboard asks for (the tray chose it). */
  presetToRun: string | null
  runPreset(presetId: string | null): void
  /** Profiles should open at the New-profile form ("Create a profile" on the dashboard). */
  newProfileAsked: boolean
  createProfile(): void
  newProfileOpened(): void
}

export const useNavigationStore = create<NavigationState>()((set, get) => ({
  section: 'dashboard',
  focusResult: null,
  unsaved: false,
  pendingSection: null,
  setUnsaved: (unsaved) => set({ unsaved }),
  resolveLeave: (leave) => {
    const pending = get().pendingSection
    set(
      leave && pending !== null
        ? { section: pending, unsaved: false, pendingSection: null }
        : { pendingSection: null },
    )
  },
  go: (section) => {
    const { unsaved, section: current } = get()
    if (unsaved && section !== current) set({ pendingSection: section })
    else set({ section })
  },
  openResult: (jobId) => set({ section: 'jobs', focusResult: jobId, unsaved: false, pendingSection: null }),
  resultFocused: () => set({ focusResult: null }),
  presetToRun: null,
  newProfileAsked: false,
  createProfile: () => {
    const { unsaved } = get()
    if (unsaved) set({ pendingSection: 'profiles', newProfileAsked: true })
    else set({ section: 'profiles', newProfileAsked: true })
  },
  newProfileOpened: () => set({ newProfileAsked: false }),
  runPreset: (presetId) =>
    set(
      presetId === null
        ? { presetToRun: null }
        : { section: 'dashboard', presetToRun: presetId, unsaved: false, pendingSection: null },
    ),
}))
