import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { encodeEnvSecret } from '../../electron/engine/secrets/env-secret.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, runCliInTerminal } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  )

describe('CLI: profiles, keys, defaults and dry-run', () => {
  const f = useBackupFixture('opts', (conn) => createSampleDatabase(conn, 'optsdb', { rows: 50 }))

  it('profile list and show never print the password', async () => {
    const env = { ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey }
    const list = await runCli(['profile', 'list', '--json'], { env })
    expect(list.code).toBe(0)
    const entries = JSON.parse(list.stdout) as { name: string; path: string }[]
    expect(entries.map((e) => e.name)).toContain('opts')
    const path = entries.find((e) => e.name === 'opts')?.path ?? ''
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(path).toBe(join(f.sandbox.env.SFDB_CONFIG_PATH ?? '', 'database_profile', 'opts.cnf.enc'))
    for (const args of [
      ['profile', 'show', 'opts'],
      ['profile', 'show', 'opts', '--json'],
    ]) {
      const run = await runCli(args, { env })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(f.account.user)
      expect(run.stdout + run.stderr).not.toContain(f.account.password)
      expect(run.stdout).toContain('********')
    }
  })

  it('profile create refuses to overwrite and refuses a password flag', async () => {
    const env = { ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey }
    const again = await runCli(
      ['profile', 'create', '--name', 'opts', '--host', 'h', '--user', 'u', '--password-stdin'],
      { env, input: 'x\n' },
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('[ProfileExists]')
    const flag = await runCli(
      ['profile', 'create', '--name', 'p2', '--host', 'h', '--user', 'u', '--password', 'x'],
      { env },
    )
    expect(flag.code).toBe(2)
    const bad = await runCli(
      ['profile', 'create', '--name', '../evil', '--host', 'h', '--user', 'u', '--password-stdin'],
      {
        env,
        input: 'x\n',
      },
    )
    expect(bad.code).not.toBe(0)
    expect(await exists(join(f.sandbox.tmp, '..', 'evil.cnf.enc'))).toBe(false)
  })

  it('without any profile key and no terminal, the error names every way to give one', async () => {
    const run = await runCli(['profile', 'show', 'opts'], {
      env: { ...f.sandbox.env, SFDB_PROFILE_KEY: undefined },
    })
    expect(run.code).toBe(1)
    for (const way of [
      '--profile-key',
      'SFDB_PROFILE_KEY',
      'SFDB_SOURCE_PROFILE_KEY',
      'SFDB_ENCRYPTION_KEY',
      'terminal',
    ]) {
      expect(run.stderr).toContain(way)
    }
  })

  it('accepts an sfDBTools-encoded (SFDBTOOLS:) profile key in the environment', async () => {
    const encoded = encodeEnvSecret(f.account.profileKey, '/nonexistent/key_maria_nbc.txt')
    const run = await runCli(['profile', 'show', 'opts'], {
      env: {
        ...f.sandbox.env,
        SFDB_PROFILE_KEY: encoded,
        SFDB_MARIADB_KEY_FILE: '/nonexistent/key_maria_nbc.txt',
      },
    })
    expect(run.code, run.stderr).toBe(0)
    const bad = await runCli(['profile', 'show', 'opts'], {
      env: {
        ...f.sandbox.env,
        SFDB_PROFILE_KEY: encoded.slice(0, -4) + 'AAAA',
        SFDB_MARIADB_KEY_FILE: '/nonexistent/x',
      },
    })
    expect(bad.stderr).toContain('SFDB_PROFILE_KEY holds an sfDBTools-encoded value that cannot be read')
  })

  it('resolves the profile key from SFDB_SOURCE_PROFILE_KEY and reports a wrong one as WrongKey', async () => {
    const ok = await runCli(['profile', 'show', 'opts'], {
      env: { ...f.sandbox.env, SFDB_SOURCE_PROFILE_KEY: f.account.profileKey },
    })
    expect(ok.code).toBe(0)
    const wrong = await runCli(['profile', 'show', 'opts'], {
      env: { ...f.sandbox.env, SFDB_PROFILE_KEY: 'nope' },
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('[WrongKey]')
  })

  it('with no backup key the backup is written unencrypted, says so, and goes to <config dir>/backup', async () => {
    const run = await runCli(['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'NOKEY'], {
      env: { ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey },
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('NOT encrypted')
    // No session bus here: the note says why the keychain, where the key may be stored, was not asked.
    expect(run.stderr).toContain('the keychain could not be used')
    expect(run.stderr).toContain('SFDB_BACKUP_ENCRYPTION_KEY')
    const dir = join(f.sandbox.env.SFDB_CONFIG_PATH ?? '', 'backup')
    const files = await readdir(dir)
    expect(files.some((f) => /^optsdb_\d{8}_\d{6}_NOKEY\.sql\.zst$/.test(f))).toBe(true)
  })

  it('SFDB_OUTPUT_DIR and SFDB_ENCRYPTION_KEY are honoured; --filename names the file', async () => {
    const out = join(f.sandbox.tmp, 'env-out')
    const run = await runCli(
      ['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'X', '-f', 'nightly', '--json'],
      {
        env: {
          ...f.sandbox.env,
          SFDB_PROFILE_KEY: f.account.profileKey,
          SFDB_OUTPUT_DIR: out,
          SFDB_ENCRYPTION_KEY: 'env-key',
        },
      },
    )
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.file).toBe(join(out, 'nightly.sql.zst.enc'))
    const verify = await runCli(['verify', join(out, 'nightly.sql.zst.enc')], {
      env: { ...f.sandbox.env, SFDB_ENCRYPTION_KEY: 'env-key' },
    })
    expect(verify.code, verify.stderr).toBe(0)
    // The same name again: never overwritten.
    const again = await runCli(
      ['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'X', '-f', 'nightly', '--json'],
      {
        env: {
          ...f.sandbox.env,
          SFDB_PROFILE_KEY: f.account.profileKey,
          SFDB_OUTPUT_DIR: out,
          SFDB_ENCRYPTION_KEY: 'env-key',
        },
      },
    )
    expect(again.code).toBe(1)
    expect((JSON.parse(again.stdout) as BackupResult).targets[0]?.error?.code).toBe('FileExists')
  })

  it('a misspelt profile is ProfileNotFound before any key is asked for', async () => {
    for (const args of [
      ['backup', 'single', '-p', 'optz', '--db', 'optsdb', '-t', 'T'],
      ['profile', 'test', 'optz'],
      ['db-scan', '-p', 'optz'],
    ]) {
      const run = await runCli(args, { env: f.sandbox.env })
      expect(run.code, args.join(' ')).toBe(1)
      expect(run.stderr).toContain('error [ProfileNotFound]: profile not found')
      expect(run.stderr).not.toContain('profile key')
    }
  })

  it('--dry-run shows the plan and creates nothing, not even the output folder', async () => {
    const out = join(f.sandbox.tmp, 'dry', 'nested')
    const run = await runCli(
      ['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'DRY', '-o', out, '--dry-run', '--json'],
      { env: { ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey, SFDB_BACKUP_ENCRYPTION_KEY: 'k' } },
    )
    expect(run.code, run.stderr).toBe(0)
    const plan = JSON.parse(run.stdout) as {
      files: { file: string; companions: string[] }[]
      options: { encrypted: boolean }
      dump: { args: string[] }
    }
    expect(plan.files[0]?.file).toMatch(new RegExp(`^${out}/optsdb_\\d{8}_\\d{6}_DRY\\.sql\\.zst\\.enc$`))
    // No account holds grants on optsdb (the backup account's are global): no .users.sql is promised.
    expect(plan.files[0]?.companions).toEqual([`${plan.files[0]?.file}.meta.json`])
    expect(plan.options.encrypted).toBe(true)
    expect(plan.dump.args).toContain('--single-transaction')
    expect(run.stdout).not.toContain(f.account.password)
    expect(await exists(join(f.sandbox.tmp, 'dry'))).toBe(false)
  })

  it('prints plain progress lines with the table names when stderr is not a terminal', async () => {
    const out = join(f.sandbox.tmp, 'plain-progress')
    const run = await runCli(['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'P', '-o', out], {
      env: { ...f.sandbox.env, SFDB_PROFILE_KEY: f.account.profileKey },
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/100% .* optsdb\.\w+/)
    expect(run.stderr).not.toContain('\r')
    expect(run.stdout).toMatch(/1 succeeded, 0 failed/)
    const meta = JSON.parse(
      await readFile(join(out, (await readdir(out)).find((f) => f.endsWith('.meta.json')) ?? ''), 'utf8'),
    )
    expect(meta.dump.args.join(' ')).not.toContain('password')
  })

  it('on a terminal: prompts for the profile key without echo, and draws a live progress line', async () => {
    const out = join(f.sandbox.tmp, 'tty')
    const run = await runCliInTerminal(
      ['backup', 'single', '-p', 'opts', '--db', 'optsdb', '-t', 'TTY', '-o', out],
      {
        env: { ...f.sandbox.env, SFDB_PROFILE_KEY: undefined },
        typed: `${f.account.profileKey}\r`,
      },
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain("Key for profile 'opts': ")
    expect(run.stdout).not.toContain(f.account.profileKey)
    expect(run.stdout).toContain('\r\x1b[2K') // the line is redrawn in place
    expect(run.stdout).toMatch(/1 succeeded, 0 failed/)
  })
})
