/** The app's top-level sections, in navigation order. Only those marked available have a page yet. */
export const SECTIONS = [
  { id: 'dashboard', label: 'Dashboard', available: true },
  { id: 'profiles', label: 'Profiles', available: false },
  { id: 'new-backup', label: 'New backup', available: false },
  { id: 'jobs', label: 'Jobs', available: false },
  { id: 'history', label: 'History', available: false },
  { id: 'settings', label: 'Settings', available: false },
] as const

/** One section of the navigation. */
export type Section = (typeof SECTIONS)[number]

/** The id of a section. */
export type SectionId = Section['id']
