import { useRef } from 'react'
import type { KeyboardEvent, ReactElement } from 'react'
import type { PageId, Section, SectionId } from '../sections.ts'
import { useT } from '../i18n/use-t.ts'
import { NavIcon } from './NavIcon.tsx'

/** Props of the side navigation. */
export interface SideNavProps {
  sections: readonly Section[]
  /** The page shown (a page outside the navigation marks no section). */
  current: PageId
  /** Running jobs, shown as a count next to Jobs. */
  runningJobs: number
  onSelect(section: SectionId): void
}

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
}

/** The main navigation: one button per section; Tab reaches each, the arrow keys, Home and End move too. */
export function SideNav({ sections, current, runningJobs, onSelect }: SideNavProps): ReactElement {
  const t = useT()
  const list = useRef<HTMLUListElement>(null)

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const move = MOVES[event.key]
    const buttons = [...(list.current?.querySelectorAll('button') ?? [])]
    const index = buttons.findIndex((button) => button === document.activeElement)
    if (move === undefined || index < 0) return
    event.preventDefault()
    buttons[move(index, buttons.length)]?.focus()
  }

  return (
    <nav className="side-nav" aria-label="Main">
      <ul ref={list} onKeyDown={onKeyDown}>
        {sections.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              className="side-nav-item"
              aria-current={section.id === current ? 'page' : undefined}
              onClick={() => onSelect(section.id)}
            >
              <NavIcon section={section.id} />
              <span>{t(section.label)}</span>
              {section.id === 'jobs' && runningJobs > 0 && (
                // Visual only: the button's name stays "Jobs"; the Jobs page says what runs.
                <span
                  className="nav-count"
                  aria-hidden="true"
                  title={t('nav.runningCount', { count: runningJobs })}
                >
                  {runningJobs}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
