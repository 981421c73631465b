import { useMemo } from 'react'
import { useSettingsStore } from '../stores/settings-store.ts'
import { translator } from './messages.ts'
import type { Language, Translate } from './messages.ts'

/** The current UI language (from the settings). */
export function useLanguage(): Language {
  return useSettingsStore((state) => state.settings.language)
}

/** The translate function of the current UI language; components re-render when it changes. */
export function useT(): Translate {
  const language = useLanguage()
  return useMemo(() => translator(language), [language])
}
