import { describe, expect, it } from 'vitest'
import { keyStrength } from '../../../renderer/src/pages/profiles/key-strength.ts'

describe('keyStrength', () => {
  it('length counts most; a phrase of several words is strong without symbols', () => {
    expect(keyStrength('')).toBeNull()
    expect(keyStrength('Secret1!')).toBe('weak')
    expect(keyStrength('aaaaaaaaaaaaaaa')).toBe('weak')
    expect(keyStrength('Backup2026key')).toBe('fair')
    expect(keyStrength('Backup-2026-key!')).toBe('strong')
    expect(keyStrength('correct horse battery staple')).toBe('strong')
    expect(keyStrength('x'.repeat(20))).toBe('strong')
  })
})
