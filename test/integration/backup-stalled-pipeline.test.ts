/**
 * A pipeline that stops reading the dump for longer than the server's net_write_timeout: the server closes
 * the dump's connection, and the failure says so and names the likely cause instead of the client's bare
 * "Lost connection" / TLS error. Real parts: the private mariadbd (its net_write_timeout lowered to 2 s for
 * this file's sessions) and the real mariadb-dump; the stall is real too — the job process is stopped
 * (SIGSTOP) until the server has dropped the dump's session, as a compressor starved of CPU would stall it.
 */
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { startCli } from '../harness/cli.ts'
import { waitFor } from '../harness/processes.ts'

const DB = 'stallshop'

describe('backup: the server closes a dump the pipeline stopped reading', () => {
  const f = useBackupFixture('stall', async (conn) => {
    await conn.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}`)
    await conn.query(`CREATE TABLE ${DB}.big (id INT PRIMARY KEY, pad VARCHAR(2000))`)
    // ~60 MB of rows: far more than the socket and pipe buffers between the server and the job.
    await conn.query(`INSERT INTO ${DB}.big SELECT seq, REPEAT(MD5(seq), 60) FROM ${DB}.seq_1_to_30000`)
  })
  afterAll(async () => {
    await f.conn?.query('SET GLOBAL net_write_timeout = DEFAULT')
    await f.conn?.query(`DROP DATABASE IF EXISTS ${DB}`)
  })

  const dumpSession = async (): Promise<number | null> => {
    const [rows] = await f.conn.query<mysql.RowDataPacket[]>(
      `SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = ? AND INFO LIKE 'SELECT /*!40001%'`,
      [f.account.user, DB],
    )
    return rows[0] ? Number(rows[0].id) : null
  }

  it('names the closed connection and compression as the likely cause, not a TLS or lost-connection error', async () => {
    await f.conn.query('SET GLOBAL net_write_timeout = 2')
    const out = join(f.sandbox.tmp, 'out')
    const cli = startCli(
      [
        'backup',
        'single',
        '--profile',
        f.account.profile,
        '--db',
        DB,
        '--ticket',
        'T-S',
        '--output-dir',
        out,
      ],
      { env: f.env },
    )
    // The CLI runs the job (and reads the dump) itself; its dump is a process of its own, which goes on.
    const job = { pid: cli.child.pid! }
    const session = await waitFor(dumpSession, 30_000, "the dump's data query")
    process.kill(job.pid, 'SIGSTOP')
    try {
      // The server gives up writing to the dump after its net_write_timeout and drops the session.
      await waitFor(
        async () => (await dumpSession()) !== session,
        60_000,
        "the server to drop the dump's session",
      )
    } finally {
      process.kill(job.pid, 'SIGCONT')
    }
    const run = await cli.done
    expect(run.code).toBe(1)
    // The cause leads; the client's own words (a TLS reset or a lost connection) follow only as detail.
    expect(run.stderr).toMatch(/^error: stallshop: the server closed the connection/m)
    expect(run.stderr).toContain(
      "the server closed the connection while the dump was waiting: compression too slow for the server's net_write_timeout",
    )
  }, 120_000)
})
