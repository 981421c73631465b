import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, inject } from 'vitest'
import { cliSandbox, runCli, type CliRun } from './cli.ts'
import { connectRoot, type PrivateServer } from './mariadb.ts'

/** A password with every character that breaks naive quoting in option files and shells. */
export const trickyPassword = (): string => `pw "q" #h\\ 'x' ü;${randomBytes(6).toString('hex')}`

export interface BackupAccount {
  user: string
  password: string
  profile: string
  profileKey: string
}

/**
 * Creates a dedicated backup account on the private server with the privileges a consistent dump needs, and
 * a CLI profile for it (created through `sfdbtools profile create`, password on stdin).
 */
export async function createBackupAccount(
  conn: mysql.Connection,
  server: PrivateServer,
  env: Record<string, string>,
  name: string,
): Promise<BackupAccount> {
  const user = `bk_${name}`.slice(0, 32)
  const password = trickyPassword()
  await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
  await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password])
  await conn.query(
    `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
    [user],
  )
  const profileKey = `profile key ${randomBytes(4).toString('hex')}`
  const run: CliRun = await runCli(
    [
      'profile',
      'create',
      '--name',
      name,
      '--host',
      server.host,
      '--port',
      String(server.port),
      '--user',
      user,
      '--password-stdin',
    ],
    { env: { ...env, SFDB_PROFILE_KEY: profileKey }, input: password + '\n' },
  )
  if (run.code !== 0) throw new Error(`profile create failed (${run.code}): ${run.stderr}`)
  return { user, password, profile: name, profileKey }
}

export interface BackupFixture {
  server: PrivateServer
  /** Root connection to the private server. */
  conn: mysql.Connection
  sandbox: Awaited<ReturnType<typeof cliSandbox>>
  account: BackupAccount
  /** The sandbox's environment with the account's profile key (and any extra variables). */
  env: Record<string, string>
  /** A new empty output folder in the sandbox (out-1, out-2, …). */
  freshOut(): Promise<string>
}

/**
 * The common setup of a CLI integration test file: a root connection, a CLI sandbox, the test's databases
 * (`createData`) and a backup account with its profile. Fields are filled in beforeAll; the connection is
 * closed in afterAll.
 */
export function useBackupFixture(
  name: string,
  createData: (conn: mysql.Connection) => Promise<void>,
  extraEnv: Record<string, string> = {},
): BackupFixture {
  let outputs = 0
  const fixture = {
    server: inject('mariadb'),
    freshOut: async () => {
      const dir = join(fixture.sandbox.tmp, `out-${++outputs}`)
      await mkdir(dir)
      return dir
    },
  } as BackupFixture
  beforeAll(async () => {
    fixture.conn = await connectRoot(fixture.server)
    fixture.sandbox = await cliSandbox()
    await createData(fixture.conn)
    fixture.account = await createBackupAccount(fixture.conn, fixture.server, fixture.sandbox.env, name)
    fixture.env = { ...fixture.sandbox.env, SFDB_PROFILE_KEY: fixture.account.profileKey, ...extraEnv }
  })
  afterAll(async () => {
    await fixture.conn.end()
  })
  return fixture
}
