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

/**
 * `{name, plural, one {# file} other {# files}}`: the branch Intl.PluralRules picks for the value of `name`
 * in this language (`other` when it has no branch of its own), `#` standing for the value.
 */
const PLURAL = /\{(\w+), plural,((?:\s*\w+ \{[^{}]*\})+)\s*\}/g
const BRANCH = /(\w+) \{([^{}]*)\}/g

function plurals(text: string, values: MessageValues, rules: Intl.PluralRules): string {
  return text.replace(PLURAL, (match, name: string, branches: string) => {
    if (!Object.hasOwn(values, name)) return match
    const value = Number(values[name])
    const options = Object.fromEntries([...branches.matchAll(BRANCH)].map((b) => [b[1], b[2] ?? '']))
    const chosen = options[rules.select(value)] ?? options.other ?? match
    return chosen.replace(/#/g, String(values[name]))
  })
}

/** The translate function of a language. An unknown placeholder is left as written, so it shows in review. */
export function translator(language: Language): Translate {
  const messages = DICTIONARIES[language]
  const rules = new Intl.PluralRules(language)
  return (key, values) => {
    const text = messages[key]
    if (values === undefined) return text
    return plurals(text, values, rules).replace(/\{(\w+)\}/g, (match, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : match,
    )
  }
}
