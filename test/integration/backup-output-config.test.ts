/**
 * The config's output keys that used to be accepted and ignored: structure.pattern (a dated sub-folder),
 * file_permissions and metadata_permissions (0600 or 0640), save_backup_info (refused when false).
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

describe('backup: output folder structure and file modes from the config', () => {
  const f = useBackupFixture('outcfg', (conn) => createSampleDatabase(conn, 'outcfgdb', { rows: 30 }))
  const configFile = (): string => join(f.sandbox.configDir, 'sfDBTools_config.yaml')
  const freshOut = f.freshOut
  const args = (out: string, ticket: string): string[] => [
    'backup',
    'single',
    '--profile',
    f.account.profile,
    '--db',
    'outcfgdb',
    '--ticket',
    ticket,
    '--no-encrypt',
    '--output-dir',
    out,
  ]

  it('structure.pattern puts the files in a dated sub-folder; file_permissions and metadata_permissions set their modes', async () => {
    await mkdir(f.sandbox.configDir, { recursive: true })
    await writeFile(
      configFile(),
      [
        'backup:',
        '  output:',
        '    file_permissions: "0640"',
        '    metadata_permissions: "0640"',
        '    structure:',
        '      pattern: "{date}/"',
        '',
      ].join('\n'),
    )
    try {
      const out = await freshOut()
      const dry = await runCli([...args(out, 'S-1'), '--dry-run', '--json'], { env: f.env })
      expect(dry.code, dry.stderr).toBe(0)
      const plan = JSON.parse(dry.stdout) as { outputDir: string }
      expect(dirname(plan.outputDir)).toBe(out)
      expect(basename(plan.outputDir)).toMatch(/^\d{8}$/)
      expect(await readdir(out)).toEqual([]) // the dry-run creates nothing

      const run = await runCli([...args(out, 'S-2'), '--json'], { env: f.env })
      expect(run.code, run.stderr).toBe(0)
      const result = JSON.parse(run.stdout) as BackupResult
      const file = result.targets[0]?.file ?? ''
      const now = new Date()
      const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`
      expect(dirname(file)).toBe(join(out, day))
      expect((await stat(file)).mode & 0o777).toBe(0o640)
      expect((await stat(`${file}.meta.json`)).mode & 0o777).toBe(0o640)
    } finally {
      await writeFile(configFile(), '')
    }
  })

  it('with a dated sub-folder, retention still finds the older backups in the other dated folders', async () => {
    await mkdir(f.sandbox.configDir, { recursive: true })
    await writeFile(
      configFile(),
      [
        'backup:',
        '  output:',
        '    structure:',
        '      pattern: "{year}{month}{day}/"',
        '  cleanup:',
        '    enabled: true',
        '    retention_days: 1',
        '    min_backups: 1',
        '',
      ].join('\n'),
    )
    try {
      const out = await freshOut()
      const first = await runCli([...args(out, 'R-1'), '--json'], { env: f.env })
      expect(first.code, first.stderr).toBe(0)
      const made = (JSON.parse(first.stdout) as BackupResult).targets[0]?.file ?? ''
      // That backup as if made 30 days ago, in that day's folder.
      const oldDir = join(out, '20200101')
      await mkdir(oldDir)
      const old = join(oldDir, basename(made))
      await rename(made, old)
      const meta = JSON.parse(await readFile(`${made}.meta.json`, 'utf8'))
      const then = new Date(Date.now() - 30 * 86_400_000).toISOString()
      meta.backup_date = then
      meta.time.start = then
      await writeFile(`${old}.meta.json`, JSON.stringify(meta))
      await rm(`${made}.meta.json`)

      const second = await runCli([...args(out, 'R-2'), '--json'], { env: f.env })
      expect(second.code, second.stderr).toBe(0)
      await expect(stat(old)).rejects.toThrow()
      await expect(stat(`${old}.meta.json`)).rejects.toThrow()
      const kept = (JSON.parse(second.stdout) as BackupResult).targets[0]?.file ?? ''
      expect((await stat(kept)).isFile()).toBe(true)
    } finally {
      await writeFile(configFile(), '')
    }
  })

  it('a config asking for a mode wider than 0640 is refused before anything runs, saying why', async () => {
    await mkdir(f.sandbox.configDir, { recursive: true })
    await writeFile(configFile(), 'backup:\n  output:\n    file_permissions: "0644"\n')
    try {
      const out = await freshOut()
      const run = await runCli(args(out, 'P-1'), { env: f.env })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('[InvalidConfig]')
      expect(run.stderr).toContain('backup.output.file_permissions must be "0600" or "0640"')
      expect(run.stderr).toContain('others never')
      expect(await readdir(out)).toEqual([])
    } finally {
      await writeFile(configFile(), '')
    }
  })
})
