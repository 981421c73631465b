import { describe, expect, it } from 'vitest'
import {
  configDir,
  profileDir,
  profileDisplayName,
  profilePath,
  resolveProfileRef,
  validateProfileName,
} from '../../../electron/engine/profiles/index.ts'

describe('configDir', () => {
  it('prefers SFDB_CONFIG_PATH', () => {
    expect(configDir({ SFDB_CONFIG_PATH: '/srv/sfdb', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/a')).toBe(
      '/srv/sfdb',
    )
  })
  it('follows each platform convention', () => {
    expect(configDir({}, 'linux', '/home/a')).toBe('/home/a/.config/sfdbtools')
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/a')).toBe('/xdg/sfdbtools')
    expect(configDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/a')).toBe('/home/a/.config/sfdbtools')
    expect(configDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/sfdbtools')
    expect(configDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\sfdbtools',
    )
  })
  it('puts profiles in database_profile', () => {
    expect(profileDir('/home/a/.config/sfdbtools')).toBe('/home/a/.config/sfdbtools/database_profile')
  })
})

describe('profile names', () => {
  it('accepts ordinary names', () => {
    for (const name of ['prod-db', 'dev_mariadb 2', 'ünïcode', 'a.b', 'prod.cnf']) {
      expect(validateProfileName(name)).toBe(name)
    }
  })

  it('refuses names that are not one plain file name, with a reason', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      [' prod', /whitespace/],
      ['a/b', /not a path/],
      ['a\\b', /not a path/],
      ['..', /"\.\."/],
      ['x..y', /"\.\."/],
      ['.hidden', /starts with "\."/],
      ['a\u0000b', /control characters/],
      ['tab\there', /control characters/],
      ['x'.repeat(250), /too long/],
    ]
    for (const [name, why] of cases) {
      expect(() => validateProfileName(name)).toThrow(
        expect.objectContaining({ code: 'InvalidInput', message: expect.stringMatching(why) }),
      )
    }
  })

  it('adds the suffix as sfDBTools does', () => {
    expect(profilePath('/p', 'prod')).toBe('/p/prod.cnf.enc')
    expect(profilePath('/p', 'prod.cnf')).toBe('/p/prod.cnf.enc')
    expect(profilePath('/p', 'prod.cnf.enc')).toBe('/p/prod.cnf.enc')
    expect(profileDisplayName('/p/prod.cnf.enc')).toBe('prod')
    expect(profileDisplayName('prod.cnf')).toBe('prod')
    expect(profileDisplayName('prod')).toBe('prod')
  })

  it('resolves --profile values: absolute paths as given, bare names in the profile folder', () => {
    expect(resolveProfileRef('/p', 'prod')).toBe('/p/prod.cnf.enc')
    expect(resolveProfileRef('/p', '/etc/sfDBTools/db_profile/prod.cnf.enc')).toBe(
      '/etc/sfDBTools/db_profile/prod.cnf.enc',
    )
    expect(resolveProfileRef('/p', '/etc/x/../y/prod')).toBe('/etc/y/prod.cnf.enc')
    expect(() => resolveProfileRef('/p', 'sub/prod')).toThrow(/give a profile name .* or an absolute path/)
    expect(() => resolveProfileRef('/p', '../prod')).toThrow(
      expect.objectContaining({ code: 'InvalidInput' }),
    )
    expect(() => resolveProfileRef('/p', ' ')).toThrow(/no profile given/)
  })
})
