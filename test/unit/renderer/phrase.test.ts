/**
 * The app's words for the engine's codes (renderer/src/i18n/phrase.ts): every advice, error code and
 * exclusion reason in English and Bahasa Indonesia, with its facts filled in and no CLI flag.
 */
import { describe, expect, it } from 'vitest'
import { EXCLUSION_REASONS } from '../../../shared/backup-types.ts'
import { ADVICE_CODES, ERROR_CODES, type Advice, type AdviceCode } from '../../../shared/result.ts'
import { en } from '../../../renderer/src/i18n/en.ts'
import { id } from '../../../renderer/src/i18n/id.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import * as app from '../../../renderer/src/i18n/phrase.ts'
import { ADVICE_PARAMS as PARAMS } from './advice-params.ts'

const every: Advice[] = ADVICE_CODES.map((code: AdviceCode) => ({ code, params: PARAMS }))

describe('the app phrases what the engine reports', () => {
  for (const [language, dictionary] of [
    ['en', en],
    ['id', id],
  ] as const) {
    it(`the app (${language}) has words for every advice, error code and exclusion, with no flag and no hole`, () => {
      const t = translator(language)
      const keys = Object.keys(dictionary)
      for (const code of ADVICE_CODES) expect(keys, code).toContain(`advice.${code}`)
      for (const code of ERROR_CODES) expect(keys, code).toContain(`errorCode.${code}`)
      for (const reason of EXCLUSION_REASONS) expect(keys, reason).toContain(`exclusion.${reason}`)
      for (const a of every) {
        const text = app.adviceText(t, language, a)
        expect(text, a.code).not.toMatch(/\{\w+\}/)
        expect(text, a.code).not.toMatch(/(^|\s)--[a-z]/)
      }
      const disk = app.adviceText(t, language, { code: 'diskSpace', params: PARAMS })
      expect(disk).toContain(language === 'en' ? '1.0 GiB' : '1,0 GiB')
      expect(disk).toContain('/backups')
      expect(app.errorText(t, language, { code: 'WrongKey', message: 'the key does not open x' })).toBe(
        `${dictionary['errorCode.WrongKey']}: the key does not open x`,
      )
    })
  }

  it('an exclusion and a notice without advice', () => {
    const t = translator('id')
    expect(app.exclusionText(t, { reason: 'prefix', value: 'dbsf_' })).toBe('tidak diawali prefiks dbsf_')
    expect(app.noticeText(t, 'id', { message: 'plain English fact' })).toBe('plain English fact')
  })

  it('Bahasa Indonesia is not English in disguise', () => {
    for (const code of ADVICE_CODES) expect(id[`advice.${code}`], code).not.toBe(en[`advice.${code}`])
  })
})

describe('the app phrases a dump waiting for a locked table', () => {
  const wait = {
    database: 'shop',
    table: 'orders',
    holder: { id: 42, user: 'app', host: '10.0.0.5:51234' },
    seconds: 42,
  }
  it('names the table, the holder and the time in English and Bahasa Indonesia', () => {
    expect(app.lockWaitText(translator('en'), wait)).toBe(
      'Waiting for a metadata lock on `shop`.`orders` held by connection 42 (app@10.0.0.5:51234) for 42 s',
    )
    expect(app.lockWaitText(translator('id'), wait)).toBe(
      'Menunggu kunci metadata pada `shop`.`orders` yang dipegang koneksi 42 (app@10.0.0.5:51234) selama 42 detik',
    )
  })
  it('says "another session" when the server cannot tell who holds it', () => {
    expect(app.lockWaitText(translator('en'), { ...wait, holder: null })).toBe(
      'Waiting for a metadata lock on `shop`.`orders` held by another session for 42 s',
    )
    expect(app.lockWaitText(translator('id'), { ...wait, holder: null })).toContain(
      'sesi lain selama 42 detik',
    )
  })
})
