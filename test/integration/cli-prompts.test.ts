import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, runCliInTerminal } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

/** What a backup flag leaves out is asked on a terminal; off a terminal, or with --quiet, it is a usage error. */
describe('backup prompts for what the flags leave out', () => {
  const f = useBackupFixture('prompts', async (conn) => {
    await createSampleDatabase(conn, 'pr_alpha', { rows: 20 })
    await createSampleDatabase(conn, 'pr_beta', { rows: 20 })
  })
  let outs = 0
  const out = (): string => join(f.sandbox.tmp, `out-${++outs}`)
  const dumps = async (dir: string): Promise<string[]> =>
    (await readdir(dir)).filter((n) => /\.sql(\.enc)?$/.test(n)).sort()

  /** A config file that turns encryption on explicitly, with no key anywhere. */
  const encryptingConfig = async (): Promise<Record<string, string>> => {
    const path = join(f.sandbox.tmp, 'encrypting.yaml')
    await writeFile(path, 'backup:\n  encryption:\n    enabled: true\n')
    return { ...f.env, SFDB_APPS_CONFIG: path }
  }

  it('asks for the ticket, the profile (a list of the profile folder) and the database (a searchable list with sizes)', async () => {
    const dir = out()
    // 'beta' is a search: the one database whose name holds it is taken.
    const run = await runCliInTerminal(['backup', 'single', '-C', '-o', dir], {
      env: f.env,
      typed: 'CHG77\rprompts\rbeta\r',
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain('Ticket')
    expect(run.stdout).toMatch(/1\s+prompts/)
    expect(run.stdout).toMatch(/pr_alpha\s+[\d.,]+ [KMGT]?i?B/)
    expect(await dumps(dir)).toEqual([expect.stringMatching(/^pr_beta_\d{8}_\d{6}_CHG77\.sql$/)])
  })

  it('a search matching several databases or none, or a number off the list, asks again', async () => {
    const dir = out()
    const run = await runCliInTerminal(['backup', 'single', '-p', 'prompts', '-t', 'S', '-C', '-o', dir], {
      env: f.env,
      typed: 'pr_\rnothing_like_this\r99999\ralpha\r',
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/2 databases match 'pr_'/)
    expect(run.stdout).toContain("no database matches 'nothing_like_this'")
    expect(run.stdout).toContain('no database number 99999 in the list')
    expect(await dumps(dir)).toEqual([expect.stringMatching(/^pr_alpha_\d{8}_\d{6}_S\.sql$/)])
  })

  it('off a terminal each missing answer is a usage error naming its flag', async () => {
    const base = ['backup', 'single', '-C', '-o', out()]
    const noTicket = await runCli([...base, '-p', 'prompts', '--db', 'pr_alpha'], { env: f.env })
    expect(noTicket.code).toBe(2)
    expect(noTicket.stderr).toContain('--ticket is required')
    const noProfile = await runCli([...base, '-t', 'X', '--db', 'pr_alpha'], { env: f.env })
    expect(noProfile.code).toBe(2)
    expect(noProfile.stderr).toContain('--profile is required')
    const noDb = await runCli([...base, '-t', 'X', '-p', 'prompts'], { env: f.env })
    expect(noDb.code).toBe(2)
    expect(noDb.stderr).toContain('backup single needs one --db')
  })

  it('--quiet never prompts, even on a terminal', async () => {
    const run = await runCliInTerminal(['backup', 'single', '-p', 'prompts', '--db', 'pr_alpha', '-q'], {
      env: f.env,
    })
    expect(run.code, run.stdout).toBe(2)
    expect(run.stdout).toContain('--ticket is required')
    expect(run.stdout).not.toContain('Ticket:')
  })

  it('backup.encryption.enabled: true without a key asks for one on a terminal and encrypts with it', async () => {
    const dir = out()
    const env = await encryptingConfig()
    const key = 'typed backup key 1'
    const run = await runCliInTerminal(
      ['backup', 'single', '-p', 'prompts', '--db', 'pr_alpha', '-t', 'ENC', '-C', '-o', dir],
      { env, typed: `${key}\r${key}\r` },
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain('Backup key')
    expect(run.stdout).not.toContain('NOT encrypted')
    expect(run.stdout).not.toContain(key)
    const files = await dumps(dir)
    expect(files).toEqual([expect.stringMatching(/^pr_alpha_\d{8}_\d{6}_ENC\.sql\.enc$/)])
    const verify = await runCli(['verify', join(dir, files[0] ?? '')], {
      env: { ...f.env, SFDB_BACKUP_ENCRYPTION_KEY: key },
    })
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('backup.encryption.enabled: true without a key is a usage error off a terminal and with --quiet', async () => {
    const dir = out()
    const env = await encryptingConfig()
    const args = ['backup', 'single', '-p', 'prompts', '--db', 'pr_alpha', '-t', 'ENC', '-C', '-o', dir]
    const cron = await runCli(args, { env })
    expect(cron.code, cron.stderr).toBe(2)
    expect(cron.stderr).toContain('backup.encryption.enabled')
    expect(cron.stderr).toContain('--encryption-key')
    expect(cron.stderr).toContain('--no-encrypt')
    const quiet = await runCliInTerminal([...args, '--quiet'], { env })
    expect(quiet.code, quiet.stdout).toBe(2)
    expect(quiet.stdout).toContain('--encryption-key')
    await expect(readdir(dir)).rejects.toThrow()
    // --no-encrypt is the deliberate way out.
    const plain = await runCli([...args, '--no-encrypt'], { env })
    expect(plain.code, plain.stderr).toBe(0)
    expect(await dumps(dir)).toEqual([expect.stringMatching(/^pr_alpha_\d{8}_\d{6}_ENC\.sql$/)])
  })

  it("the filter picker's file-mode question asks again on an unknown answer", async () => {
    const dir = out()
    const run = await runCliInTerminal(
      [
        'backup',
        'filter',
        '-p',
        'prompts',
        '-t',
        'FM',
        '-C',
        '-o',
        dir,
        '--db',
        'pr_alpha',
        '--db',
        'pr_beta',
      ],
      { env: f.env, typed: 'x\rm\r' },
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain("unknown answer 'x'")
    expect(await dumps(dir)).toEqual([
      expect.stringMatching(/^pr_alpha_\d{8}_\d{6}_FM\.sql$/),
      expect.stringMatching(/^pr_beta_\d{8}_\d{6}_FM\.sql$/),
    ])
  })
})
