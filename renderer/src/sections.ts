import type { MessageKey } from './i18n/messages.ts'

/** The app's top-level sections, in navigation order. */
export const SECTIONS = [
  { id: 'dashboard', label: 'nav.dashboard' },
  { id: 'profiles', label: 'nav.profiles' },
  { id: 'new-backup', label: 'nav.newBackup' },
  { id: 'jobs', label: 'nav.jobs' },
  { id: 'history', label: 'nav.history' },
  { id: 'settings', label: 'nav.settings' },
] as const satisfies readonly { id: string; label: MessageKey }[]

/** One section of the navigation. */
export type Section = (typeof SECTIONS)[number]

/** The id of a section. */
export type SectionId = Section['id']

/**
 * A page of the app: a section, or the Restore wizard (reached from History → Restore… and from
 * "Restore a file…" on the Dashboard and Profiles pages, not from the navigation).
 */
export type PageId = SectionId | 'restore'
