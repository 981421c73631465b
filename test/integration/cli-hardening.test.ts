/**
 * Issue 11, points 9, 11, 13 and 16: bad input ends as a named error with the right exit code, a closed
 * stdout ends a command quietly, and the package documentation's spellings are accepted.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli, type CliRun } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

/** No stack trace, no unnamed error. */
const expectNamed = (run: CliRun, code: string): void => {
  expect(run.stderr).toContain(`[${code}]`)
  expect(run.stderr).not.toContain('[Internal]')
  expect(run.stderr).not.toContain('internal error')
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

interface PlanFile {
  file: string
  databases: { name: string }[]
}
const dbNames = (files: PlanFile[]): string[][] => files.map((x) => x.databases.map((d) => d.name))

describe('CLI: bad input is named, stdout may close, sfDBTools spellings', () => {
  const f = useBackupFixture('hard', async (conn) => {
    await createSampleDatabase(conn, 'harda', { rows: 5 })
    await createSampleDatabase(conn, 'hardb', { rows: 5 })
  })
  const env = () => ({ ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey })
  const dryRun = (args: string[], extra: Record<string, string> = {}) =>
    runCli(['backup', ...args, '--profile', 'hard', '--dry-run', '--json'], { env: { ...env(), ...extra } })

  it('verify: a missing file is FileNotFound, a folder is a usage error (point 9)', async () => {
    const missing = await runCli(['verify', join(f.sandbox.tmp, 'nope.sql.zst')], { env: env() })
    expect(missing.code).toBe(1)
    expectNamed(missing, 'FileNotFound')
    expect(missing.stderr).toContain('nope.sql.zst')
    const folder = await runCli(['verify', f.sandbox.tmp], { env: env() })
    expect(folder.code).toBe(2)
    expectNamed(folder, 'InvalidInput')
    expect(folder.stderr).toContain('is a folder')
  })

  it('decrypt: a missing input and a missing output folder are named (point 9)', async () => {
    const missing = await runCli(['decrypt', join(f.sandbox.tmp, 'nope.sql.zst.enc')], { env: env() })
    expect(missing.code).toBe(1)
    expectNamed(missing, 'FileNotFound')
    const out = join(f.sandbox.tmp, 'dec')
    await mkdir(out, { recursive: true })
    const backup = await runCli(
      ['backup', 'single', '--db', 'harda', '--ticket', 'DEC', '--profile', 'hard', '-o', out, '--json'],
      { env: { ...env(), SFDB_BACKUP_ENCRYPTION_KEY: 'k-dec' } },
    )
    expect(backup.code).toBe(0)
    const file = (JSON.parse(backup.stdout) as BackupResult).targets[0]?.file ?? ''
    const target = join(f.sandbox.tmp, 'no-such-folder', 'x.sql')
    const run = await runCli(['decrypt', file, '-K', 'k-dec', '--decompress', '-o', target], { env: env() })
    expect(run.code).toBe(2)
    expectNamed(run, 'InvalidInput')
    expect(run.stderr).toContain(join(f.sandbox.tmp, 'no-such-folder'))
  })

  it('SFDB_CONFIG_PATH naming a file is an InvalidConfig naming the variable (point 9)', async () => {
    const file = join(f.sandbox.tmp, 'not-a-folder')
    await writeFile(file, 'x')
    for (const args of [
      ['profile', 'list'],
      ['backup', 'all', '--ticket', 'T', '--profile', 'hard', '--dry-run'],
    ]) {
      const run = await runCli(args, { env: { ...env(), SFDB_CONFIG_PATH: file } })
      expect(run.code).toBe(2)
      expectNamed(run, 'InvalidConfig')
      expect(run.stderr).toContain('SFDB_CONFIG_PATH')
    }
  })

  it('a ticket or --filename too long for a file name is refused in planning (point 9)', async () => {
    const long = 'T'.repeat(300)
    const out = join(f.sandbox.tmp, 'long')
    await mkdir(out, { recursive: true })
    for (const args of [
      ['single', '--db', 'harda', '--ticket', long, '-o', out],
      ['single', '--db', 'harda', '--ticket', 'T', '--filename', `${long}.sql`, '-o', out],
    ]) {
      const run = await runCli(['backup', ...args, '--profile', 'hard'], { env: env() })
      expect(run.code).toBe(2)
      expectNamed(run, 'InvalidInput')
      expect(run.stderr).toContain('255')
    }
    expect(await readdir(out)).toEqual([])
  })

  it('a YAML alias bomb in the config file is an InvalidConfig naming the file (point 9)', async () => {
    const dir = join(f.sandbox.tmp, 'bomb')
    await mkdir(dir, { recursive: true })
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (const [i, n] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = 'abcdefg'[i]
      lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    lines.push('backup: *g')
    const path = join(dir, 'sfDBTools_config.yaml')
    await writeFile(path, lines.join('\n') + '\n')
    const run = await runCli(['backup', 'all', '--ticket', 'T', '--profile', 'hard', '--dry-run'], {
      env: { ...env(), SFDB_CONFIG_PATH: path },
    })
    expect(run.code).toBe(2)
    expectNamed(run, 'InvalidConfig')
    expect(run.stderr).toContain(path)
  })

  it('--parallel and --compress-level take whole numbers; --parallel 17 is refused at parse (points 9, 11)', async () => {
    for (const [flag, value] of [
      ['--parallel', 'NaN'],
      ['--parallel', '1.5'],
      ['--parallel', '0x10'],
      ['--parallel', '1e3'],
      ['--parallel', '0'],
      ['--parallel', '17'],
      ['--compress-level', 'NaN'],
    ] as const) {
      // No profile: the flag is refused before any profile or server is looked at.
      const run = await runCli(['backup', 'all', '--ticket', 'T', '--profile', 'none', flag, value], {
        env: env(),
      })
      expect(run.code, `${flag} ${value}`).toBe(2)
      expect(run.stderr).toContain('usage error')
      expect(run.stderr).toContain(flag)
      expect(run.stderr).not.toContain('ProfileNotFound')
    }
    const tooMany = await runCli(['backup', 'all', '--ticket', 'T', '--parallel', '17'], { env: env() })
    expect(tooMany.stderr).toContain('--parallel must be between 1 and 16')
  })

  it('backup.parallel above 16 in the config file is an InvalidConfig naming the key (point 11)', async () => {
    const dir = join(f.sandbox.tmp, 'par')
    await mkdir(dir, { recursive: true })
    const path = join(dir, 'sfDBTools_config.yaml')
    await writeFile(path, 'backup:\n  parallel: 17\n')
    const run = await runCli(['backup', 'all', '--ticket', 'T', '--profile', 'hard', '--dry-run'], {
      env: { ...env(), SFDB_CONFIG_PATH: path },
    })
    expect(run.code).toBe(2)
    expectNamed(run, 'InvalidConfig')
    expect(run.stderr).toContain('backup.parallel')
  })

  it('a closed stdout ends every command quietly (point 13)', async () => {
    const out = join(f.sandbox.tmp, 'pipe')
    await mkdir(out, { recursive: true })
    const backup = await runCli(
      ['backup', 'single', '--db', 'hardb', '--ticket', 'PIPE', '--profile', 'hard', '-o', out, '--json'],
      { env: { ...env(), SFDB_BACKUP_ENCRYPTION_KEY: 'k-pipe' } },
    )
    expect(backup.code).toBe(0)
    const file = (JSON.parse(backup.stdout) as BackupResult).targets[0]?.file ?? ''
    for (const args of [
      ['--help'],
      ['backup', '--help'],
      ['profile', 'list'],
      ['profile', 'show', 'hard'],
      ['db-scan', '--profile', 'hard'],
      ['verify', file, '-K', 'k-pipe'],
      ['decrypt', file, '-K', 'k-pipe', '--decompress', '-o', '-'],
      ['backup', 'single', '--db', 'hardb', '--ticket', 'P2', '--profile', 'hard', '--dry-run'],
    ]) {
      const { child, done } = startCli(args, { env: env() })
      // The reader goes away before the command writes its first line, as `| head -0` would.
      child.stdout?.destroy()
      const run = await done
      expect(run.stderr, args.join(' ')).not.toContain('EPIPE')
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
      expect(run.code, args.join(' ')).toBe(0)
    }
  })

  it('backup combined / separated are filter --mode single-file / multi-file (point 16)', async () => {
    const combined = await dryRun(['combined', '--include', 'harda,hardb', '--ticket', 'T'])
    expect(combined.code, combined.stderr).toBe(0)
    const one = JSON.parse(combined.stdout) as { mode: string; files: PlanFile[] }
    expect(one.mode).toBe('filter')
    expect(dbNames(one.files)).toEqual([['harda', 'hardb']])
    const separated = await dryRun(['separated', '--include', 'harda', '--include', 'hardb', '--ticket', 'T'])
    expect(separated.code, separated.stderr).toBe(0)
    const two = JSON.parse(separated.stdout) as { files: PlanFile[] }
    expect(dbNames(two.files)).toEqual([['harda'], ['hardb']])
    const both = await dryRun(['combined', '--db', 'harda', '--mode', 'multi-file', '--ticket', 'T'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--mode')
  })

  it('--compression, --compression-type and --encryption are accepted (point 16)', async () => {
    for (const [flag, ext] of [
      ['--compression', '.sql.gz'],
      ['--compression-type', '.sql.xz'],
    ] as const) {
      const type = ext === '.sql.gz' ? 'gzip' : 'xz'
      const run = await dryRun(['single', '--db', 'harda', '--ticket', 'T', flag, type, '--no-encrypt'])
      expect(run.code, run.stderr).toBe(0)
      expect((JSON.parse(run.stdout) as { files: PlanFile[] }).files[0]?.file).toMatch(
        new RegExp(`\\${ext}$`),
      )
    }
    const enc = await dryRun(['single', '--db', 'harda', '--ticket', 'T', '--encryption'], {
      SFDB_BACKUP_ENCRYPTION_KEY: 'k-enc',
    })
    expect(enc.code, enc.stderr).toBe(0)
    expect((JSON.parse(enc.stdout) as { files: PlanFile[] }).files[0]?.file).toMatch(/\.enc$/)
    const contradiction = await dryRun([
      'single',
      '--db',
      'harda',
      '--ticket',
      'T',
      '--encryption',
      '--no-encrypt',
    ])
    expect(contradiction.code).toBe(2)
  })

  it('profile show --profile PATH and db-scan all / all-local (point 16)', async () => {
    const list = await runCli(['profile', 'list', '--json'], { env: env() })
    const path = (JSON.parse(list.stdout) as { name: string; path: string }[]).find(
      (p) => p.name === 'hard',
    )?.path
    const show = await runCli(['profile', 'show', '--profile', path ?? '', '--json'], { env: env() })
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toContain(f.account.user)
    for (const sub of ['all', 'all-local']) {
      const scan = await runCli(['db-scan', sub, '--profile', 'hard', '--json'], { env: env() })
      expect(scan.code, scan.stderr).toBe(0)
      const names = (JSON.parse(scan.stdout) as { databases: { name: string }[] }).databases.map(
        (d) => d.name,
      )
      expect(names).toEqual(expect.arrayContaining(['harda', 'hardb']))
    }
    const unknown = await runCli(['db-scan', 'some', '--profile', 'hard'], { env: env() })
    expect(unknown.code).toBe(2)
  })
})
