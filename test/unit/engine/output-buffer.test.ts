/**
 * The dump's stdout in 1 MiB writes through coreutils' stdbuf where there is one (output-buffer.ts): the
 * credentials' option stays the dump's first argument, and without stdbuf the dump starts as it is.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  DUMP_STDOUT_BUFFER,
  stdbufPath,
  withBufferedOutput,
} from '../../../electron/engine/dump/output-buffer.ts'

describe("the dump's output buffer", () => {
  it('starts the dump through stdbuf, its own arguments first, then the dump with its arguments unchanged', () => {
    const start = withBufferedOutput(
      '/usr/bin/mariadb-dump',
      ['--defaults-extra-file=/x/client.cnf', 'db'],
      '/usr/bin/stdbuf',
    )
    expect(start).toEqual({
      program: '/usr/bin/stdbuf',
      args: ['-o', DUMP_STDOUT_BUFFER, '/usr/bin/mariadb-dump', '--defaults-extra-file=/x/client.cnf', 'db'],
    })
  })

  it('starts the dump as it is where there is no stdbuf', () => {
    expect(
      withBufferedOutput('/usr/bin/mariadb-dump', ['--defaults-extra-file=/x/client.cnf'], null),
    ).toEqual({
      program: '/usr/bin/mariadb-dump',
      args: ['--defaults-extra-file=/x/client.cnf'],
    })
  })

  it("finds this machine's stdbuf, which hands the program it starts its library and the buffer size", () => {
    const stdbuf = stdbufPath()
    expect(stdbuf).toMatch(/\/stdbuf$/)
    const env = execFileSync(stdbuf as string, ['-o', DUMP_STDOUT_BUFFER, 'env'], { encoding: 'utf8' })
    expect(env).toMatch(/^_STDBUF_O=1048576$/m)
    expect(env).toMatch(/^LD_PRELOAD=.*libstdbuf\.so/m)
  })
})
