import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatProfileIni, parseProfileIni } from '../../../electron/engine/profiles/index.ts'
import type { ProfileData } from '../../../electron/engine/profiles/index.ts'
import { VECTOR_DIR } from '../crypto/vectors.ts'

const plaintextOf = (name: string): string => readFileSync(join(VECTOR_DIR, 'plaintext', name), 'utf8')
const v3Text = plaintextOf('v3_profile_dev-mariadb.cnf')
const v1Text = plaintextOf('v1_profile_100k_old-profile.cnf')

describe('profile INI', () => {
  it('parses the 600k vector and formats it back byte for byte', () => {
    const data = parseProfileIni(v3Text)
    expect(data).toEqual({
      host: 'db-dev.example.internal',
      port: 3307,
      user: 'sfbackup',
      password: 'S3cr3t=with;special#chars',
      ssh: {
        enabled: true,
        host: 'bastion.example.internal',
        port: 2222,
        user: 'tunnel',
        password: '',
        identityFile: '/home/ops/.ssh/id_ed25519',
        localPort: 0,
      },
    })
    expect(formatProfileIni(data)).toBe(v3Text)
  })

  it('parses the 100k vector (no [ssh]) and formats it back byte for byte', () => {
    const data = parseProfileIni(v1Text)
    expect(data).toEqual({ host: '192.168.10.20', port: 3306, user: 'root', password: 'old-profile-pass' })
    expect(formatProfileIni(data)).toBe(v1Text)
  })

  it('follows the sfDBTools parsing rules', () => {
    const text = [
      '; a comment',
      '# another',
      '  [CLIENT]  ',
      'HOST = db1 ',
      'Port=3306',
      'user=app',
      'password = a=b;c#d ',
      'password=last wins',
      'no equals sign here',
      '[other]',
      'host=ignored',
      '[Client]',
      'socket=/run/mysqld/mysqld.sock',
      '',
    ].join('\r\n') // CRLF is trimmed away with the other whitespace
    expect(parseProfileIni(text)).toEqual({
      host: 'db1',
      port: 3306,
      user: 'app',
      password: 'last wins',
      socket: '/run/mysqld/mysqld.sock',
    })
    expect(parseProfileIni('[client]\npassword=x=y#z;w\n').password).toBe('x=y#z;w')
  })

  it('ignores an invalid port and fills missing keys with empty values', () => {
    for (const port of ['abc', '33o6', '70000', '-1', '']) {
      expect(parseProfileIni(`[client]\nhost=h\nport=${port}\n`)).toEqual({
        host: 'h',
        port: 0,
        user: '',
        password: '',
      })
    }
    expect(parseProfileIni('[client]\nport=+0443\n').port).toBe(443) // Go's Atoi accepts a sign and leading zeros
  })

  it('refuses a profile without a [client] section holding a key', () => {
    for (const text of [
      '',
      'host=x\n',
      '[ssh]\nhost=x\n',
      '[client]\n; nothing\n[ssh]\nhost=b\n',
      '{"host":"x"}',
    ]) {
      expect(() => parseProfileIni(text)).toThrow(expect.objectContaining({ code: 'InvalidProfile' }))
    }
  })

  it('reads [ssh]: truthy words, port 22 by default, absent when it has no keys', () => {
    for (const word of ['1', 'true', 'YES', 'y', 'On']) {
      expect(parseProfileIni(`[client]\nhost=h\n[ssh]\nenabled=${word}\n`).ssh?.enabled).toBe(true)
    }
    for (const word of ['0', 'false', 'no', 'enabled', '']) {
      expect(parseProfileIni(`[client]\nhost=h\n[ssh]\nenabled=${word}\n`).ssh?.enabled).toBe(false)
    }
    const ssh = parseProfileIni('[client]\nhost=h\n[SSH]\nhost=b\nport=0\nlocal_port=x\n').ssh
    expect(ssh).toEqual({
      enabled: false,
      host: 'b',
      port: 22,
      user: '',
      password: '',
      identityFile: '',
      localPort: 0,
    })
    expect(parseProfileIni('[client]\nhost=h\n[ssh]\n').ssh).toBeUndefined()
  })

  it('writes [ssh] only when enabled or when it has a host, with port 0 written as 22', () => {
    const base: ProfileData = { host: 'h', port: 3306, user: 'u', password: 'p' }
    const ssh = { enabled: false, host: '', port: 0, user: '', password: '', identityFile: '', localPort: 0 }
    expect(formatProfileIni({ ...base, ssh })).toBe('[client]\nhost=h\nport=3306\nuser=u\npassword=p\n')
    expect(formatProfileIni({ ...base, ssh: { ...ssh, host: 'b' } })).toBe(
      '[client]\nhost=h\nport=3306\nuser=u\npassword=p\n\n[ssh]\nenabled=false\nhost=b\nport=22\nuser=\n' +
        'ssh_password=\nidentity_file=\nlocal_port=0\n',
    )
    expect(formatProfileIni({ ...base, socket: '/tmp/s.sock' })).toBe(
      '[client]\nhost=h\nport=3306\nuser=u\npassword=p\nsocket=/tmp/s.sock\n',
    )
  })

  it('round-trips what it formats', () => {
    const samples: ProfileData[] = [
      { host: '', port: 0, user: '', password: '' },
      { host: 'db.example', port: 3306, user: 'root', password: 'p;#=[x]', socket: '/var/run/mysqld.sock' },
      {
        host: '10.0.0.1',
        port: 3307,
        user: 'backup',
        password: 'ü ß',
        ssh: {
          enabled: true,
          host: 'bastion',
          port: 2200,
          user: 'ops',
          password: 's p',
          identityFile: '/k',
          localPort: 13306,
        },
      },
    ]
    for (const data of samples) expect(parseProfileIni(formatProfileIni(data))).toEqual(data)
  })

  it('refuses values the format cannot carry instead of changing them', () => {
    const base: ProfileData = { host: 'h', port: 3306, user: 'u', password: 'p' }
    expect(() => formatProfileIni({ ...base, password: 'a\nhost=evil' })).toThrow(/line break/)
    expect(() => formatProfileIni({ ...base, password: ' padded ' })).toThrow(/whitespace/)
    expect(() => formatProfileIni({ ...base, port: 70_000 })).toThrow(/0 to 65535/)
    expect(() => formatProfileIni({ ...base, port: 33.5 })).toThrow(
      expect.objectContaining({ code: 'InvalidInput' }),
    )
  })
})
