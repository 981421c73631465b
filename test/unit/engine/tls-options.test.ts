import { describe, expect, it } from 'vitest'
import { tlsOptionLines } from '../../../electron/engine/dump/defaults-file.ts'
import { formatProfileIni, parseProfileIni } from '../../../electron/engine/profiles/index.ts'

describe('TLS settings', () => {
  it('round-trip through the profile INI, and only when set', () => {
    const base = { host: 'h', port: 3306, user: 'u', password: 'p' }
    expect(formatProfileIni(base)).not.toContain('ssl_')
    const text = formatProfileIni({
      ...base,
      tls: { mode: 'verify-ca', ca: '/etc/ca.pem', cert: '/c.pem', key: '/k.pem' },
    })
    expect(text).toContain('ssl_mode=verify-ca\nssl_ca=/etc/ca.pem\nssl_cert=/c.pem\nssl_key=/k.pem\n')
    expect(parseProfileIni(text).tls).toEqual({
      mode: 'verify-ca',
      ca: '/etc/ca.pem',
      cert: '/c.pem',
      key: '/k.pem',
    })
    expect(parseProfileIni('[client]\nhost=h\nssl_mode=VERIFY_IDENTITY\n').tls).toEqual({
      mode: 'verify-identity',
    })
    expect(() => parseProfileIni('[client]\nhost=h\nssl_mode=maybe\n')).toThrow(/unknown ssl_mode/)
  })

  it('speak each client flavor’s own option names in the defaults file', () => {
    const tls = { mode: 'verify-ca' as const, ca: '/ca.pem' }
    expect(tlsOptionLines(tls, 'mysql')).toEqual(['ssl-mode=VERIFY_CA', 'ssl-ca="/ca.pem"'])
    expect(tlsOptionLines(tls, 'mariadb')).toEqual(['ssl', 'ssl-verify-server-cert', 'ssl-ca="/ca.pem"'])
    expect(tlsOptionLines({ mode: 'disabled' }, 'mariadb')).toEqual(['skip-ssl'])
    expect(tlsOptionLines({ mode: 'required' }, 'mariadb')).toEqual(['ssl'])
    expect(tlsOptionLines(undefined, 'mariadb')).toEqual([])
  })
})
