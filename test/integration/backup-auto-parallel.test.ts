/**
 * `primary`/`secondary` runs of more than 8 databases dump `min(4, cores)` at once when neither
 * `--parallel` nor `backup.parallel` says otherwise; fewer databases, other modes and an explicit setting
 * keep what they say. Real parts: the private mariadbd and the CLI's real planner (dry-runs).
 */
import { writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'

const DBS = Array.from({ length: 9 }, (_, i) => `autopar_${String(i + 1).padStart(2, '0')}`)

describe('backup: the default parallelism of many databases', () => {
  const f = useBackupFixture('autopar', async (conn) => {
    for (const db of DBS)
      await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT)`)
  })
  afterAll(async () => {
    for (const db of DBS) await f.conn?.query(`DROP DATABASE IF EXISTS ${db}`)
  })

  /** The dry-run's parallelism of a primary run of the prefix's databases, minus `--exclude-db`s. */
  const parallelOf = async (mode: string, dbs: string[], extra: string[] = []): Promise<number> => {
    const excluded = DBS.filter((d) => !dbs.includes(d)).flatMap((d) => ['--exclude-db', d])
    const run = await runCli(
      ['backup', mode, '-p', f.account.profile, '-t', 'T-P', '--prefix', 'autopar_', '--dry-run', '--json']
        .concat(['-o', await f.freshOut(), ...excluded])
        .concat(extra),
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    const view = JSON.parse(run.stdout) as { files: unknown[]; options: { parallel: number } }
    expect(view.files).toHaveLength(dbs.length)
    return view.options.parallel
  }

  it('9 databases in primary mode: min(4, cores) at once; 8: one at a time; a flag or the config wins', async () => {
    const auto = Math.min(4, availableParallelism())
    expect(await parallelOf('primary', DBS)).toBe(auto)
    expect(await parallelOf('primary', DBS.slice(0, 8))).toBe(1)
    expect(await parallelOf('primary', DBS, ['--parallel', '1'])).toBe(1)
    await writeFile(join(f.sandbox.configDir, 'sfDBTools_config.yaml'), 'backup:\n  parallel: 3\n')
    try {
      expect(await parallelOf('primary', DBS)).toBe(3)
    } finally {
      await writeFile(join(f.sandbox.configDir, 'sfDBTools_config.yaml'), '')
    }
  }, 60_000)
})
