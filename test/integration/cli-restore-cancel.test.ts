/**
 * Ctrl-C during `sfdbtools restore`: the CLI gets SIGINT once the first progress line of the load is out
 * (no sleep), cancels the job, says the target is partly restored and exits 130. While it loads, no process
 * it started has the password or the backup key in its argv or environment, and none is a SQL client.
 */
import { readFile } from 'node:fs/promises'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { descendants, waitFor } from '../harness/processes.ts'

const KEY = 'cancel key ✓'

describe('sfdbtools restore: Ctrl-C', () => {
  const f = useBackupFixture(
    'rcan',
    // ≈ 60 MB of SQL: the load takes long enough for a signal to find it running.
    (conn) => createSampleDatabase(conn, 'rbig', { rows: 60_000, rowBytes: 900 }),
    { SFDB_BACKUP_ENCRYPTION_KEY: KEY },
  )

  it('cancels the load, says partly restored, exits 130; no secret in any argv', async () => {
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [f.account.user])
    const made = await runCli(
      [
        'backup',
        'single',
        '--db',
        'rbig',
        '--profile',
        'rcan',
        '-t',
        'B',
        '-o',
        `${f.sandbox.tmp}/b`,
        '--json',
      ],
      { env: f.env },
    )
    expect(made.code, made.stderr).toBe(0)
    const file = (JSON.parse(made.stdout) as BackupResult).targets[0]?.file ?? ''

    const { child, done } = startCli(
      [
        'restore',
        'single',
        file,
        '--profile',
        'rcan',
        '--target-db',
        'rbig_copy',
        '-t',
        'CHG-C',
        '--json-progress',
      ],
      { env: f.env },
    )
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const loading = (): boolean =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .some((l) => {
          const e = JSON.parse(l) as { type: string; phase?: string; sqlBytes?: number }
          return e.type === 'progress' && e.phase === 'load' && (e.sqlBytes ?? 0) > 0
        })
    await waitFor(async () => loading() || child.exitCode !== null, 60_000, 'the first load progress line')
    expect(child.exitCode, stderr).toBeNull()
    const children = await descendants(child.pid ?? 0)
    // The default loader speaks the protocol from the job: no client program runs at all.
    const clients = children.filter((p) => /(^|\/)(mariadb|mysql)$/.test(p.argv[0] ?? ''))
    expect(clients, children.map((p) => p.argv.join(' ')).join('\n')).toEqual([])
    // The CLI runs the job itself: no job process either.
    expect(children.filter((p) => p.argv.some((a) => a.endsWith('backup-job.js')))).toEqual([])
    for (const p of children) {
      expect(p.argv.join(' ')).not.toContain(f.account.password)
      expect(p.argv.join(' ')).not.toContain(KEY)
    }
    // Nor the environment of any child, although the CLI itself got the backup key and the profile key
    // from its environment.
    for (const p of children) {
      const environ = await readFile(`/proc/${p.pid}/environ`, 'utf8').catch(() => '')
      expect(environ).not.toContain(f.account.password)
      expect(environ).not.toContain(KEY)
      expect(environ).not.toContain(f.account.profileKey)
    }
    child.kill('SIGINT')
    const run = await done
    expect(run.code, run.stderr).toBe(130)
    expect(run.stdout + run.stderr).toMatch(/rbig_copy is partly restored/)
    expect(run.stdout + run.stderr).not.toContain(KEY)
    expect(run.stdout + run.stderr).not.toContain(f.account.password)
    // The job's sessions went with it: no connection of the restore is left on the server.
    await waitFor(
      async () => {
        const [rows] = await f.conn.query<RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = 'rbig_copy'`,
        )
        return Number(rows[0]?.n) === 0
      },
      30_000,
      'the restore sessions to close',
    )
  })
})
