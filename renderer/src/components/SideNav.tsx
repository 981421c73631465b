import type { ReactElement } from 'react'
import type { Section, SectionId } from '../sections.ts'
import { NavIcon } from './NavIcon.tsx'

/** Props of the side navigation. */
export interface SideNavProps {
  sections: readonly Section[]
  current: SectionId
  onSelect(section: SectionId): void
}

/** The main navigation: one button per section; sections without a page yet are disabled. */
export function SideNav({ sections, current, onSelect }: SideNavProps): ReactElement {
  return (
    <nav className="side-nav" aria-label="Main">
      <ul>
        {sections.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              className="side-nav-item"
              aria-current={section.id === current ? 'page' : undefined}
              disabled={!section.available}
              onClick={() => onSelect(section.id)}
            >
              <NavIcon section={section.id} />
              <span>{section.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
