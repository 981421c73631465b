import { useEffect, useRef } from 'react'
import type { ReactElement } from 'react'
import { AppHeader } from './components/AppHeader.tsx'
import { SideNav } from './components/SideNav.tsx'
import { StatusBar } from './components/StatusBar.tsx'
import { useLanguage } from './i18n/use-t.ts'
import { applyTheme } from './lib/theme.ts'
import { DashboardPage } from './pages/dashboard/DashboardPage.tsx'
import { HistoryPage } from './pages/history/HistoryPage.tsx'
import { JobsPage } from './pages/jobs/JobsPage.tsx'
import { NewBackupPage } from './pages/new-backup/NewBackupPage.tsx'
import { ProfilesPage } from './pages/profiles/ProfilesPage.tsx'
import { RestorePage } from './pages/restore/RestorePage.tsx'
import { SettingsPage } from './pages/settings/SettingsPage.tsx'
import { SECTIONS } from './sections.ts'
import type { PageId } from './sections.ts'
import { useAppStore } from './stores/app-store.ts'
import { useHistoryStore } from './stores/history-store.ts'
import { connectPushEvents } from './stores/job-event-bridge.ts'
import { useJobsStore } from './stores/jobs-store.ts'
import { useKeysStore } from './stores/keys-store.ts'
import { useNavigationStore } from './stores/navigation-store.ts'
import { useProfilesStore } from './stores/profiles-store.ts'
import { useRestoreStore } from './stores/restore-store.ts'
import { useSettingsStore } from './stores/settings-store.ts'

/** Shown before the main process answered (and if it never does). */
const PRODUCT_NAME = 'sfDBTools Desktop'

const PAGES: Record<PageId, (props: { productName: string }) => ReactElement> = {
  dashboard: DashboardPage,
  profiles: ProfilesPage,
  'new-backup': NewBackupPage,
  restore: RestorePage,
  jobs: JobsPage,
  history: HistoryPage,
  settings: SettingsPage,
}

/** Loads what every page builds on, once, and follows job events for the app's lifetime. */
function useAppData(): void {
  useEffect(() => {
    void useAppStore.getState().load()
    void useAppStore.getState().loadPaths()
    void useSettingsStore.getState().load()
    void useProfilesStore.getState().load()
    void useKeysStore.getState().load()
    void useHistoryStore.getState().load()
    return connectPushEvents()
  }, [])
}

/** Theme and language on the document: data-theme for the stylesheet, lang for the screen reader. */
function useDocumentAppearance(): void {
  const theme = useSettingsStore((state) => state.settings.theme)
  const language = useLanguage()
  useEffect(() => applyTheme(theme), [theme])
  useEffect(() => {
    document.documentElement.lang = language
  }, [language])
}

/** The app frame: header, navigation, the current page and the status bar. */
export function App(): ReactElement {
  const name = useAppStore((state) => state.name)
  const version = useAppStore((state) => state.version)
  const platform = useAppStore((state) => state.platform)
  const error = useAppStore((state) => state.error)
  const section = useNavigationStore((state) => state.section)
  const go = useNavigationStore((state) => state.go)
  const runningBackups = useJobsStore((state) => state.order.length)
  const runningRestores = useRestoreStore((state) => state.order.length)
  const runningJobs = runningBackups + runningRestores
  const main = useRef<HTMLElement>(null)
  const firstSection = useRef(true)

  useAppData()
  useDocumentAppearance()

  // After a section change, start at the top and focus the heading, so keyboard and screen reader users
  // start at the page.
  useEffect(() => {
    if (firstSection.current) {
      firstSection.current = false
      return
    }
    if (main.current === null) return
    main.current.scrollTop = 0
    main.current.querySelector<HTMLElement>('h1')?.focus()
  }, [section])

  const productName = name ?? PRODUCT_NAME
  const Page = PAGES[section]
  return (
    <div className="app-shell">
      <AppHeader productName={productName} />
      <SideNav sections={SECTIONS} current={section} runningJobs={runningJobs} onSelect={go} />
      <main className="app-main" ref={main}>
        <Page productName={productName} />
      </main>
      <StatusBar name={name} version={version} platform={platform} error={error} runningJobs={runningJobs} />
    </div>
  )
}
