/** Both dictionaries fill the same values: an Indonesian message never shows a raw `{name}` English fills. */
import { describe, expect, it } from 'vitest'
import { en } from '../../../renderer/src/i18n/en.ts'
import { id } from '../../../renderer/src/i18n/id.ts'

// `{name}` or a plural `{name, plural, …}`; the file-name pattern tokens ({db}, {date}, …) are text, not values.
const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1] ?? ''))].sort()

describe('i18n', () => {
  it('every message has the same placeholders in English and Bahasa Indonesia', () => {
    const differ = (Object.keys(en) as (keyof typeof en)[]).filter(
      (key) => JSON.stringify(placeholders(en[key])) !== JSON.stringify(placeholders(id[key])),
    )
    expect(differ).toEqual([])
  })
})
