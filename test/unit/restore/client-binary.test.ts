import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseClientVersion } from '../../../electron/engine/dump/client-program.ts'
import {
  clientArgs,
  clientExitError,
  findClientBinary,
  parseClientError,
} from '../../../electron/engine/restore/client-binary.ts'

const exit = (stderrTail: string, code: number | null = 1, signal: NodeJS.Signals | null = null) => ({
  code,
  signal,
  spawnFailed: false,
  stderrTail,
})

describe('the SQL client', () => {
  it('parses the version lines of both flavors (and MariaDB 11’s new form)', () => {
    expect(
      parseClientVersion(
        'mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper\n',
      ),
    ).toMatchObject({ flavor: 'mariadb', version: '10.11.19' })
    expect(
      parseClientVersion(
        'mariadb from 11.4.2-MariaDB, client 15.2 for debian-linux-gnu (x86_64) using  EditLine wrapper',
      ),
    ).toMatchObject({ flavor: 'mariadb', version: '11.4.2' })
    expect(
      parseClientVersion('mysql  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)'),
    ).toMatchObject({
      flavor: 'mysql',
      version: '8.4.3',
    })
    expect(
      parseClientVersion('mysql  Ver 14.14 Distrib 5.7.44, for Linux (x86_64) using  EditLine wrapper'),
    ).toMatchObject({ flavor: 'mysql', version: '5.7.44' })
  })

  it('prefers mariadb, then mysql; a configured path wins', async () => {
    const found = await findClientBinary()
    expect(found.path).toMatch(/\/mariadb$/)
    expect(found.flavor).toBe('mariadb')
    expect(found.versionLine).toMatch(/MariaDB/)
    expect((await findClientBinary('/usr/bin/mysql')).path).toBe('/usr/bin/mysql')
    // Only `mysql` on PATH.
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-client-'))
    const mysql = join(dir, 'mysql')
    await writeFile(
      mysql,
      '#!/bin/sh\necho "mysql  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)"\n',
    )
    await chmod(mysql, 0o755)
    expect(await findClientBinary(null, dir)).toMatchObject({
      path: mysql,
      flavor: 'mysql',
      version: '8.4.3',
    })
  })

  it('a missing client is a named error with advice', async () => {
    await expect(findClientBinary(null, '/nonexistent')).rejects.toMatchObject({
      code: 'ClientBinaryMissing',
      message: expect.stringMatching(/neither mariadb nor mysql/),
      advice: { code: 'clientBinaryMissing' },
    })
    await expect(findClientBinary('/nonexistent/mariadb')).rejects.toMatchObject({
      code: 'ClientBinaryMissing',
      advice: { code: 'clientBinaryNotExecutable', params: { binary: '/nonexistent/mariadb' } },
    })
  })

  it('its arguments: no credentials, no --force, the database last after --', () => {
    const args = clientArgs('-odd name`')
    expect(args).toEqual([
      '--default-character-set=utf8mb4',
      '--max-allowed-packet=1G',
      '--binary-mode',
      '--batch',
      '--',
      '-odd name`',
    ])
    expect(args.join(' ')).not.toMatch(/password|--user|--host|--force|(^| )-f( |$)/)
  })
})

describe('the client’s errors', () => {
  it('parses the error lines of mariadb and mysql', () => {
    expect(
      parseClientError(
        "ERROR 1064 (42000) at line 123: You have an error in your SQL syntax; check the manual near 'x' at line 1\n",
      ),
    ).toEqual({
      errno: 1064,
      sqlState: '42000',
      line: 123,
      message: "You have an error in your SQL syntax; check the manual near 'x' at line 1",
    })
    expect(
      parseClientError("ERROR 1146 (42S02) at line 7 in file: 'x.sql': Table 'a.b' doesn't exist"),
    ).toMatchObject({ errno: 1146, line: 7 })
    expect(parseClientError("ERROR at line 5: Unknown command '\\x'.")).toEqual({
      errno: null,
      sqlState: null,
      line: 5,
      message: "Unknown command '\\x'.",
    })
    expect(parseClientError('mariadb: [Warning] something\n')).toBeNull()
  })

  it('a refused statement is SqlError with its line, the server’s message and the stderr as detail', () => {
    const stderr =
      "ERROR 1064 (42000) at line 123: You have an error in your SQL syntax near 'BROKEN' at line 1\n"
    const e = clientExitError(exit(stderr), 'shop')
    expect(e.code).toBe('SqlError')
    expect(e.message).toBe(
      "the statement at line 123 failed: ERROR 1064 (42000): You have an error in your SQL syntax near 'BROKEN' at line 1",
    )
    expect(e.detail).toBe(stderr.trim())
    expect(
      clientExitError(exit('ERROR 2006 (HY000) at line 40: Server has gone away'), 'shop').message,
    ).toMatch(/line 40.*max_allowed_packet/)
  })

  it('a refused login, an unreachable server, an unknown database have their own codes', () => {
    expect(
      clientExitError(
        exit("ERROR 1045 (28000): Access denied for user 'u'@'localhost' (using password: YES)"),
        'x',
      ).code,
    ).toBe('AuthFailed')
    expect(clientExitError(exit("ERROR 2002 (HY000): Can't connect to server on 'h' (115)"), 'x').code).toBe(
      'ConnectFailed',
    )
    expect(clientExitError(exit("ERROR 1049 (42000): Unknown database 'x'"), 'x').code).toBe(
      'UnknownDatabase',
    )
    expect(clientExitError(exit('', null, 'SIGKILL'), 'x').message).toBe(
      'the SQL client was killed by SIGKILL',
    )
    expect(clientExitError({ ...exit('spawn /x ENOENT\n'), spawnFailed: true }, 'x').code).toBe(
      'ClientBinaryMissing',
    )
  })
})
