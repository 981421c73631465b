import { describe, expect, it } from 'vitest'
import {
  concernsDatabases,
  databasePatternMatches,
  isBareUsage,
  parseGrantLine,
} from '../../../electron/engine/grants/grant-line.ts'
import { displayPrincipal } from '../../../electron/engine/grants/accounts.ts'
import { renderGrantsFile } from '../../../electron/engine/grants/grants-file.ts'

describe('parseGrantLine', () => {
  it('drops the credential, TLS and limits MariaDB repeats on GRANT lines, keeping WITH GRANT OPTION', () => {
    const line = parseGrantLine(
      "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*7C67218EF7410F248763DC99AEDC705367393C4A'" +
        ' REQUIRE SSL WITH GRANT OPTION MAX_QUERIES_PER_HOUR 10',
    )
    expect(line).toMatchObject({
      kind: 'privileges',
      object: { kind: 'global' },
      grantee: { user: 'u', host: '%' },
      sql: 'GRANT USAGE ON *.* TO `u`@`%` WITH GRANT OPTION',
    })
    expect(isBareUsage(line)).toBe(false)
    const via = parseGrantLine("GRANT USAGE ON *.* TO `u`@`h` IDENTIFIED VIA ed25519 USING 'abc'")
    expect(via.sql).toBe('GRANT USAGE ON *.* TO `u`@`h`')
    expect(isBareUsage(via)).toBe(true)
  })

  it('reads database, table, column and routine grants, quoted names included', () => {
    expect(parseGrantLine("GRANT SELECT ON `a``b`.* TO `o'q\\x`@`h'st`")).toMatchObject({
      object: { kind: 'database', pattern: 'a`b' },
      grantee: { user: "o'q\\x", host: "h'st" },
      sql: "GRANT SELECT ON `a``b`.* TO `o'q\\x`@`h'st`",
    })
    // A column named like a keyword must not be taken for the ON of the statement.
    expect(parseGrantLine('GRANT SELECT (`x ON y`), INSERT (`to`) ON `db`.`t` TO `u`@`%`')).toMatchObject({
      object: { kind: 'table', database: 'db' },
      privileges: 'SELECT (`x ON y`), INSERT (`to`)',
    })
    expect(parseGrantLine('GRANT EXECUTE ON PROCEDURE `db`.`p` TO `u`@`%`').kind).toBe('privileges')
    expect(parseGrantLine('GRANT EXECUTE ON PACKAGE BODY `db`.`p` TO `u`@`%`')).toMatchObject({
      object: { kind: 'routine', database: 'db' },
    })
    expect(parseGrantLine('GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION')).toMatchObject({
      object: { kind: 'proxy' },
    })
  })

  it('reads MySQL 5.7/8 forms: quoted accounts, role grants with hosts, partial revokes', () => {
    expect(parseGrantLine("GRANT SELECT ON `db`.* TO 'u'@'10.0.%'")).toMatchObject({
      grantee: { user: 'u', host: '10.0.%' },
    })
    expect(parseGrantLine('GRANT `r1`@`%`,`r2`@`%` TO `u`@`%` WITH ADMIN OPTION')).toEqual({
      kind: 'roles',
      roles: [
        { user: 'r1', host: '%' },
        { user: 'r2', host: '%' },
      ],
      grantee: { user: 'u', host: '%' },
      sql: 'GRANT `r1`@`%`,`r2`@`%` TO `u`@`%` WITH ADMIN OPTION',
    })
    expect(parseGrantLine('GRANT BACKUP_ADMIN,XA_RECOVER_ADMIN ON *.* TO `u`@`%`')).toMatchObject({
      object: { kind: 'global' },
    })
    expect(parseGrantLine('REVOKE SELECT ON `mysql`.* FROM `u`@`%`')).toMatchObject({
      revoke: true,
      object: { kind: 'database', pattern: 'mysql' },
      sql: 'REVOKE SELECT ON `mysql`.* FROM `u`@`%`',
    })
  })

  it('reads MariaDB role grants and default roles', () => {
    expect(parseGrantLine('GRANT `r2` TO `r1` WITH ADMIN OPTION')).toMatchObject({
      kind: 'roles',
      roles: [{ user: 'r2', host: null }],
      grantee: { user: 'r1', host: null },
    })
    expect(parseGrantLine('SET DEFAULT ROLE `r1` FOR `u`@`%`')).toMatchObject({
      kind: 'default-role',
      grantee: { user: 'u', host: '%' },
    })
    expect(parseGrantLine('SOMETHING NEW').kind).toBe('unknown')
  })
})

describe('database relevance', () => {
  it('matches wildcard database grants as the server does', () => {
    expect(databasePatternMatches('app%', 'app_shop')).toBe(true)
    expect(databasePatternMatches('db\\_%', 'db_x')).toBe(true)
    expect(databasePatternMatches('db\\_%', 'dbxx')).toBe(false)
    expect(databasePatternMatches('db_1', 'dbx1')).toBe(true) // an unescaped _ is a wildcard
    expect(databasePatternMatches('shop', 'Shop')).toBe(false)
    expect(databasePatternMatches('a.b', 'axb')).toBe(false)
  })

  it('keeps database, table and routine grants on the selected databases, never global ones', () => {
    const on = (line: string): boolean => concernsDatabases(parseGrantLine(line), ['shop'])
    expect(on('GRANT SELECT ON `shop`.* TO `u`@`%`')).toBe(true)
    expect(on('GRANT SELECT ON `sh%`.* TO `u`@`%`')).toBe(true)
    expect(on('GRANT SELECT ON `shop`.`t` TO `u`@`%`')).toBe(true)
    expect(on('GRANT EXECUTE ON FUNCTION `shop`.`f` TO `u`@`%`')).toBe(true)
    expect(on('GRANT SELECT ON `shop2`.* TO `u`@`%`')).toBe(false)
    expect(on('GRANT SELECT ON `sh%`.`t` TO `u`@`%`')).toBe(false) // table grants name one database
    expect(on('GRANT SELECT ON *.* TO `u`@`%`')).toBe(false)
    expect(on('GRANT `r` TO `u`@`%`')).toBe(false)
  })
})

describe('renderGrantsFile', () => {
  it('keeps names and messages inside their comment line', () => {
    const evil = { user: 'x\nDROP DATABASE shop; --', host: '%\r\u2028' }
    const sql = renderGrantsFile({
      scope: 'databases a\nb',
      server: 'test',
      generatedAt: new Date(0),
      accountCount: 1,
      roleCount: 0,
      roleCreates: [],
      blocks: [
        { title: `Account ${displayPrincipal(evil)}`, statements: ['CREATE USER IF NOT EXISTS `x`@`%`'] },
      ],
      skipped: [],
      warnings: ['bad\nthing'],
    })
    const statements = sql.split('\n').filter((l) => l !== '' && !l.startsWith('-- '))
    expect(statements).toEqual(['CREATE USER IF NOT EXISTS `x`@`%`;', 'FLUSH PRIVILEGES;'])
    expect(sql).toContain("-- Account 'x\\x0aDROP DATABASE shop; --'@'%\\x0d\\u2028'")
  })
})
