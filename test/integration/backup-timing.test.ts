/**
 * SFDB_TIMING=1: a backup prints where its wall time went — the CLI's phases and its job's, on one clock,
 * in order — and says nothing of it otherwise. Real parts: the CLI (which runs its job itself), the private mariadbd.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'

describe('backup: SFDB_TIMING=1', () => {
  const f = useBackupFixture('timing', async (conn) => {
    for (const db of ['timing_a', 'timing_b'])
      await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT)`)
    // ≈ 24 MB of SQL that zstd halves: two dozen 1 MiB chunks through the reader, ≈ 12 MB of output.
    await conn.query(
      'DROP DATABASE IF EXISTS timingbig; CREATE DATABASE timingbig; ' +
        'CREATE TABLE timingbig.t (id INT PRIMARY KEY, a CHAR(64), b CHAR(64), c CHAR(64))',
    )
    await conn.query(
      'INSERT INTO timingbig.t SELECT seq, SHA2(seq, 256), SHA2(-seq, 256), SHA2(seq * 7, 256) ' +
        'FROM timingbig.seq_1_to_120000',
    )
  })
  afterAll(async () => {
    await f.conn?.query(
      'DROP DATABASE IF EXISTS timing_a; DROP DATABASE IF EXISTS timing_b; DROP DATABASE IF EXISTS timingbig',
    )
  })
  const args = async (): Promise<string[]> =>
    ['backup', 'primary', '-p', f.account.profile, '-t', 'T-T', '--prefix', 'timing_'].concat([
      '-o',
      await f.freshOut(),
      '--no-encrypt',
      '--exclude-user',
    ])

  it('prints the phases of the CLI and of each file in time order, and nothing without it', async () => {
    const run = await runCli(await args(), { env: { ...f.env, SFDB_TIMING: '1' } })
    expect(run.code, run.stderr).toBe(0)
    const lines = run.stderr.split('\n').filter((l) => /^\s*\d+ ms\s+\+\s*\d+\s+/.test(l))
    const phases = lines.map((l) => l.replace(/^\s*\d+ ms\s+\+\s*\d+\s+/, ''))
    for (const phase of [
      'process start',
      'cli: profile decrypted (key derived)',
      'cli: plan sent to the job',
      'job: plan received',
      // Two small databases: one dump for both (batch-dump.ts).
      'targets 1–2: one dump started',
      'targets 1–2: files written and synced',
      'target 2: metadata written, files committed',
      'job: every target done',
      'cli: result received',
    ])
      expect(phases).toContain(phase)
    const at = lines.map((l) => Number(/^\s*(\d+) ms/.exec(l)?.[1]))
    expect(at).toEqual([...at].sort((a, b) => a - b))
    expect(phases.indexOf('cli: plan sent to the job')).toBeLessThan(
      phases.indexOf('targets 1–2: one dump started'),
    )
    // The profile key's derivation starts before the command's code has loaded; the job (in the CLI's own
    // process) is ready before the plan is.
    expect(phases.indexOf('cli: profile key derivation started')).toBeGreaterThan(-1)
    expect(phases.indexOf('cli: profile key derivation started')).toBeLessThan(
      phases.indexOf('cli: backup command loaded'),
    )
    expect(phases.indexOf('cli: job ready in this process')).toBeGreaterThan(-1)
    expect(phases.indexOf('cli: job ready in this process')).toBeLessThan(
      phases.indexOf('cli: plan sent to the job'),
    )
    expect(phases).not.toContain('job: process start')

    const quiet = await runCli(await args(), { env: f.env })
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stderr).not.toContain('timing (ms since')
    expect(quiet.stderr).not.toMatch(/one dump started/)
  }, 60_000)

  it('recycles the dump output chunks and collects spent buffers as it goes (the job stays small)', async () => {
    const run = await runCli(
      ['backup', 'single', '-p', f.account.profile, '-t', 'T-T', '--db', 'timingbig'].concat([
        '-o',
        await f.freshOut(),
        '--no-encrypt',
        '--exclude-user',
        '--compress-type',
        'zstd',
      ]),
      { env: { ...f.env, SFDB_TIMING: '1' } },
    )
    expect(run.code, run.stderr).toBe(0)
    const m =
      /job: dump output read in (\d+) recycled and (\d+) fresh chunks; (\d+) minor GCs of spent buffers; young generation ([\d.]+) MiB/.exec(
        run.stderr,
      )
    if (m === null) throw new Error(`no byte-path mark in:\n${run.stderr}`)
    const [recycled, fresh, collections, young] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]
    // Every 1 MiB of SQL is one chunk: ≈ 24 of them, nearly all read into recycled slots.
    expect(recycled + fresh).toBeGreaterThanOrEqual(20)
    expect(recycled).toBeGreaterThan(fresh * 3)
    // ≈ 12 MB of output passed the last stage: a minor GC per 4 MiB (gc-pacer.ts).
    expect(collections).toBeGreaterThanOrEqual(2)
    // The CLI runs the job itself and keeps V8's young generation at its initial size, as a job process's
    // --max-semi-space-size=2 would (gc-pacer.ts keepYoungGenerationSmall); V8 grows it to 16+ MiB otherwise.
    expect(young).toBeLessThanOrEqual(4)
  }, 60_000)
})
