/** The UI's dictionaries and the translate function; the language comes from the settings. */
import type { Settings } from '../../../shared/ipc.ts'
import { en } from './en.ts'
import type { MessageKey, Messages } from './en.ts'
import { id } from './id.ts'

export type { MessageKey }

/** A UI language: English or Bahasa Indonesia. */
export type Language = Settings['language']

/** Values for the `{name}` placeholders of a message. */
export type MessageValues = Record<string, string | number>

/** Turns a key (and its placeholder values) into the text of the current language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string

const DICTIONARIES: Record<Language, Messages> = { en, id }

/** Native names: a language is always offered in its own words. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', id: 'Bahasa Indonesia' }

/** The translate function of a language. An unknown placeholder is left as written, so it shows in review. */
export function translator(language: Language): Translate {
  const messages = DICTIONARIES[language]
  return (key, values) => {
    const text = messages[key]
    if (values === undefined) return text
    return text.replace(/\{(\w+)\}/g, (match, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : match,
    )
  }
}
