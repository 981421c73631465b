import { describe, expect, it } from 'vitest'
import { BACKUP_TYPES } from '../../../shared/backup-types.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import { backupTypeLabel } from '../../../renderer/src/lib/backup-type.ts'

describe('backupTypeLabel', () => {
  it('every recorded type in words in both languages; an unknown one as written', () => {
    for (const language of ['en', 'id'] as const) {
      const t = translator(language)
      for (const type of BACKUP_TYPES)
        expect(backupTypeLabel(type, t)).not.toMatch(new RegExp(`^${type}$|[{}]`))
    }
    expect(backupTypeLabel('separated', translator('en'))).toBe('One file per database')
    expect(backupTypeLabel('weird', translator('en'))).toBe('weird')
  })
})
