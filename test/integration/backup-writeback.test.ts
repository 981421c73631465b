/**
 * A backup's file goes to disk while it grows (EarlyWriteback), on both byte paths: the dump writing its
 * file itself (no compression, no encryption) and the job writing it (here: encrypted). Real parts: the
 * private mariadbd, the real mariadb-dump, the engine in this process, a real file system. FileHandle's
 * datasync is watched; for the failure a real disk cannot produce on demand it is replaced by a fake.
 */
import { mkdtemp, open, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'
import { WRITEBACK_BYTES } from '../../electron/engine/fs/early-writeback.ts'
import { connectRoot } from '../harness/mariadb.ts'

const DB = 'writeback'

describe('backup: the file is flushed while it grows', () => {
  const server = inject('mariadb')
  let admin: mysql.Connection
  let dir = ''
  let fileHandle: { datasync(): Promise<void> }
  const connection: ConnectionSettings = {
    host: server.host,
    port: server.port,
    user: server.rootUser,
    password: server.rootPassword,
  }
  const backup = async (out: string, encryptionKey: string | null) => {
    const { plan } = await planBackup({
      mode: 'single',
      profileName: 'wb',
      connection,
      selection: {
        databases: [DB],
        excludeDatabases: [],
        excludeSystem: true,
        excludeEmpty: false,
        companions: [],
      },
      ticket: 'WB',
      compression: { type: 'none', level: 0 },
      encryptionKey,
      outputDir: join(dir, out),
      excludeUser: true,
      captureGtid: false,
    })
    return runBackup(plan, { signal: new AbortController().signal })
  }

  beforeAll(async () => {
    admin = await connectRoot(server)
    await admin.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}`)
    // ≈ 1.5 × WRITEBACK_BYTES of SQL: one flush while the file grows, then the final fsync.
    const rows = Math.ceil((WRITEBACK_BYTES * 1.5) / 270)
    await admin.query(`CREATE TABLE ${DB}.t (id INT PRIMARY KEY, v VARCHAR(300)) ENGINE=InnoDB`)
    await admin.query(`INSERT INTO ${DB}.t SELECT seq, REPEAT(MD5(seq), 8) FROM ${DB}.seq_1_to_${rows}`)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-writeback-'))
    const probe = await open(join(dir, 'probe'), 'w')
    fileHandle = Object.getPrototypeOf(probe) as typeof fileHandle
    await probe.close()
  })
  afterEach(() => vi.restoreAllMocks())
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${DB}`)
    await admin?.end()
    await rm(dir, { recursive: true, force: true })
  })

  it('the file the dump writes itself and the file the job writes are both flushed before their end', async () => {
    const flushes = vi.spyOn(fileHandle, 'datasync')
    const direct = await backup('direct', null)
    expect(direct.targets[0]?.status, JSON.stringify(direct.targets[0]?.error)).toBe('success')
    expect(flushes).toHaveBeenCalledTimes(1)
    const written = await backup('encrypted', 'writeback-test-key')
    expect(written.targets[0]?.status, JSON.stringify(written.targets[0]?.error)).toBe('success')
    expect(flushes).toHaveBeenCalledTimes(2)
  }, 120_000)

  it('a background flush that fails fails the file: nothing under a final name, no .part left', async () => {
    // Fake failure: a disk's EIO cannot be produced on demand.
    vi.spyOn(fileHandle, 'datasync').mockRejectedValue(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    )
    for (const [out, key] of [
      ['failed-direct', null],
      ['failed-encrypted', 'writeback-test-key'],
    ] as const) {
      const result = await backup(out, key)
      expect(result.targets[0]?.status).toBe('failed')
      expect(result.targets[0]?.error?.message).toContain('EIO')
      expect(await readdir(join(dir, out))).toEqual([])
    }
  }, 120_000)
})
