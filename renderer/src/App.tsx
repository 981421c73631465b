import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import { AppHeader } from './components/AppHeader.tsx'
import { SideNav } from './components/SideNav.tsx'
import { StatusBar } from './components/StatusBar.tsx'
import { DashboardPage } from './pages/DashboardPage.tsx'
import { SECTIONS } from './sections.ts'
import type { SectionId } from './sections.ts'
import { useAppStore } from './stores/app-store.ts'

/** Shown before the main process answered (and if it never does). */
const PRODUCT_NAME = 'sfDBTools Desktop'

/** The app frame: header, navigation, the current page and the status bar. */
export function App(): ReactElement {
  const name = useAppStore((state) => state.name)
  const version = useAppStore((state) => state.version)
  const platform = useAppStore((state) => state.platform)
  const error = useAppStore((state) => state.error)
  const load = useAppStore((state) => state.load)
  const [section, setSection] = useState<SectionId>('dashboard')

  useEffect(() => {
    void load()
  }, [load])

  const productName = name ?? PRODUCT_NAME
  return (
    <div className="app-shell">
      <AppHeader productName={productName} />
      <SideNav sections={SECTIONS} current={section} onSelect={setSection} />
      <main className="app-main">
        <DashboardPage productName={productName} />
      </main>
      <StatusBar name={name} version={version} platform={platform} error={error} />
    </div>
  )
}
