/** Where the user is: the current section, and a finished job's result to bring into view. */
import { create } from 'zustand'
import type { PageId } from '../sections.ts'

export interface NavigationState {
  section: PageId
  /** A result the Jobs page should scroll to and focus (then clear). */
  focusResult: string | null
  go(section: PageId): void
  /** Opens the Jobs page at a job's result (a notification was clicked). */
  openResult(jobId: string): void
  resultFocused(): void
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  section: 'dashboard',
  focusResult: null,
  go: (section) => set({ section }),
  openResult: (jobId) => set({ section: 'jobs', focusResult: jobId }),
  resultFocused: () => set({ focusResult: null }),
}))
