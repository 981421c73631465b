/**
 * Every program the engine starts gets an environment with no secret: the dump binary, the SQL client, the
 * `--version` probes and `mkfifo`. The programs here are FAKES (sh scripts that record their environment);
 * the real clients are run by test/integration/credentials-at-rest.test.ts.
 */
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { childEnvironment, jobEnvironment } from '../../../electron/engine/child-env.ts'
import { DUMP_BINARY, findClientProgram } from '../../../electron/engine/dump/client-program.ts'
import { createDefaultsFile } from '../../../electron/engine/dump/defaults-file.ts'
import { startDump } from '../../../electron/engine/dump/dump-process.ts'
import { createDumpOutputFifo } from '../../../electron/engine/dump/fifo-reader.ts'
import { Session } from '../../../electron/engine/restore/load/session.ts'

const SECRETS: Record<string, string> = {
  SFDB_PROFILE_KEY: 'profile-key-secret',
  SFDB_BACKUP_ENCRYPTION_KEY: 'backup-key-secret',
  SFDB_SOURCE_PROFILE_KEY: 'source-key-secret',
  MYSQL_PWD: 'mysql-pwd-secret',
  MYSQL_HOST: 'not-the-profile-host',
}
const connection = { host: '127.0.0.1', port: 1, user: 'u', password: 'the-db-password' }

/** What a recorded environment must not hold. */
function expectClean(environ: string): void {
  const names = environ
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, l.indexOf('=')))
  expect(names.filter((n) => /^(SFDB_|MYSQL_|MARIADB_)/.test(n))).toEqual([])
  for (const value of [...Object.values(SECRETS), connection.password]) expect(environ).not.toContain(value)
  expect(names).toContain('PATH')
}

describe('the environment of the programs the engine starts', () => {
  let dir = ''
  const saved: Record<string, string | undefined> = {}
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-child-env-'))
    for (const [k, v] of Object.entries({ ...SECRETS, PATH: `${dir}:${process.env.PATH ?? ''}` })) {
      saved[k] = process.env[k]
      process.env[k] = v
    }
  })
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  /** A FAKE program at `<dir>/<name>` that writes its environment to `<dir>/<name>.env`, then runs `then`. */
  const fakeProgram = async (name: string, then: string): Promise<string> => {
    const path = join(dir, name)
    await writeFile(path, `#!/bin/sh\nenv > '${path}.env'\n${then}\n`)
    await chmod(path, 0o755)
    return path
  }

  it('childEnvironment keeps what a program needs and drops every secret and MYSQL_* variable', () => {
    const env = childEnvironment({
      ...SECRETS,
      PATH: '/bin',
      HOME: '/h',
      LC_ALL: 'C',
      KRB5CCNAME: 'x',
      OTHER: 'y',
    })
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', KRB5CCNAME: 'x' })
    const job = jobEnvironment({ ...SECRETS, PATH: '/bin', SFDB_CONFIG_PATH: '/c' })
    expect(job).toEqual({ PATH: '/bin', SFDB_CONFIG_PATH: '/c', MYSQL_HOST: 'not-the-profile-host' })
  })

  it('the dump binary, its --version probe and mkfifo get none of them', async () => {
    const dump = await fakeProgram(
      'fake-dump',
      `if [ "$1" = --version ]; then env > '${dir}/version.env'; echo 'mariadb-dump  Ver 10.19 Distrib 10.11.99-MariaDB, for fake'; exit 0; fi\necho '-- Dump completed'`,
    )
    await fakeProgram('mkfifo', 'exec /usr/bin/env PATH=/usr/bin:/bin mkfifo "$@"')
    await findClientProgram(DUMP_BINARY, dump)
    expectClean(await readFile(join(dir, 'version.env'), 'utf8'))
    const run = await startDump(dump, connection, ['--', 'db'])
    run.stdout.resume()
    expect((await run.exited).code).toBe(0)
    expectClean(await readFile(`${dump}.env`, 'utf8'))
    const fifo = await createDumpOutputFifo(await mkdtemp(join(dir, 'out-')))
    fifo?.closeWriteEnd()
    fifo?.stdout.destroy()
    const defaults = await createDefaultsFile(connection)
    await defaults.remove()
    expectClean(await readFile(join(dir, 'mkfifo.env'), 'utf8'))
  })

  it('the SQL client of a restore gets none of them', async () => {
    const client = await fakeProgram('fake-client', 'cat > /dev/null')
    const session = await Session.start({
      binary: { path: client, flavor: 'mariadb', version: '10.11.99', versionLine: 'fake' },
      direct: connection,
      database: 'db',
      force: false,
      spawn,
      token: 't',
      onMarker: () => {},
      onError: () => {},
    })
    session.end()
    expect((await session.exited).code).toBe(0)
    expectClean(await readFile(`${client}.env`, 'utf8'))
  })
})
