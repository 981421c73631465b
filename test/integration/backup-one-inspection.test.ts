/**
 * One server inspection per run: the planner's view of the server (version, host name, each database's
 * tables) travels in the plan and the job uses it instead of asking again — unless GTID capture needs its
 * own check. Real parts: the private mariadbd, the real mariadb-dump, the engine in this process.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'
import { connectRoot } from '../harness/mariadb.ts'

const DB = 'one_inspection'

describe('backup: one server inspection per run', () => {
  const server = inject('mariadb')
  let admin: mysql.Connection
  let dir = ''
  const connection: ConnectionSettings = {
    host: server.host,
    port: server.port,
    user: server.rootUser,
    password: server.rootPassword,
  }
  const plan = async (ticket: string, captureGtid: boolean) =>
    (
      await planBackup({
        mode: 'single',
        profileName: 'one',
        connection,
        selection: {
          databases: [DB],
          excludeDatabases: [],
          excludeSystem: true,
          excludeEmpty: false,
          companions: [],
        },
        ticket,
        compression: { type: 'none', level: 0 },
        encryptionKey: null,
        outputDir: dir,
        excludeUser: true,
        captureGtid,
      })
    ).plan
  const hostOf = async (file: string | null | undefined): Promise<string> =>
    (JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as { server: { hostname: string } }).server
      .hostname

  beforeAll(async () => {
    admin = await connectRoot(server)
    await admin.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}`)
    await admin.query(`CREATE TABLE ${DB}.a (id INT PRIMARY KEY); INSERT INTO ${DB}.a VALUES (1), (2)`)
    await admin.query(`CREATE VIEW ${DB}.v AS SELECT id FROM ${DB}.a`)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-one-inspection-'))
  })
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${DB}`)
    await admin?.end()
    await rm(dir, { recursive: true, force: true })
  })

  it("the plan carries the planner's inspection and the job uses it; with GTID capture the job asks itself", async () => {
    const planned = await plan('T-1', false)
    expect(planned.inspected?.tables[DB]).toEqual([{ table: 'a', bytes: expect.any(Number) }])
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT @@hostname AS h')
    const real = String(rows[0]?.h)
    expect(planned.inspected?.server.hostname).toBe(real)

    // A host name only the plan has: the metadata shows which view the job used.
    const marked = {
      ...planned,
      inspected: {
        ...planned.inspected!,
        server: { ...planned.inspected!.server, hostname: 'as-the-planner-saw-it' },
      },
    }
    const used = await runBackup(marked, { signal: new AbortController().signal })
    expect(used.targets[0]?.status, JSON.stringify(used.targets[0]?.error)).toBe('success')
    expect(await hostOf(used.targets[0]?.file)).toBe('as-the-planner-saw-it')

    const gtidPlan = await plan('T-2', true)
    const own = await runBackup(
      {
        ...gtidPlan,
        inspected: {
          ...gtidPlan.inspected!,
          server: { ...gtidPlan.inspected!.server, hostname: 'not-used' },
        },
      },
      { signal: new AbortController().signal },
    )
    expect(own.targets[0]?.file).toBeTruthy()
    expect(await hostOf(own.targets[0]?.file)).toBe(real)
  }, 60_000)

  it('a plan whose encryptor cannot be made (an empty key) fails its file with InvalidInput and leaves nothing behind', async () => {
    const out = join(dir, 'bad-key')
    const planned = { ...(await plan('T-3', false)), outputDir: out }
    const result = await runBackup(
      { ...planned, compression: { type: 'zstd', level: 3 }, encryptionKey: '' },
      { signal: new AbortController().signal },
    )
    expect(result.targets[0]?.status).toBe('failed')
    expect(result.targets[0]?.error?.code).toBe('InvalidInput')
    expect(await readdir(out)).toEqual([])
  })
})
