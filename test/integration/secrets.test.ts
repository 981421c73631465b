import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const BACKUP_KEY = 'the-backup-key-that-must-not-leak'

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name))
  }
  return out
}

describe('no secret in any output of a backup run', () => {
  const f = useBackupFixture('secrets', (conn) => createSampleDatabase(conn, 'secretdb', { rows: 50 }), {
    SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY,
  })

  it('stdout, stderr, metadata, every file left behind and the temp folder hold neither password nor keys', async () => {
    const out = join(f.sandbox.tmp, 'out')
    const runs = [
      await runCli(['backup', 'single', '-p', 'secrets', '--db', 'secretdb', '-t', 'S1', '-o', out], {
        env: f.env,
      }),
      await runCli(
        ['backup', 'single', '-p', 'secrets', '--db', 'secretdb', '-t', 'S2', '-o', out, '--json'],
        { env: f.env },
      ),
      await runCli(
        [
          'backup',
          'single',
          '-p',
          'secrets',
          '--db',
          'secretdb',
          '-t',
          'S3',
          '-o',
          out,
          '--dry-run',
          '--json',
        ],
        {
          env: f.env,
        },
      ),
      await runCli(['backup', 'single', '-p', 'secrets', '--db', 'missing_db', '-t', 'S4', '-o', out], {
        env: f.env,
      }),
      await runCli(['profile', 'show', 'secrets', '--json'], { env: f.env }),
      await runCli(['profile', 'list', '--json'], { env: f.env }),
    ]
    expect(runs.slice(0, 3).map((r) => r.code)).toEqual([0, 0, 0])
    const texts = runs.flatMap((r) => [r.stdout, r.stderr])
    for (const file of await allFiles(f.sandbox.tmp)) texts.push((await readFile(file)).toString('latin1'))
    for (const file of await allFiles(f.sandbox.configDir))
      texts.push((await readFile(file)).toString('latin1'))
    for (const secret of [f.account.password, f.account.profileKey, BACKUP_KEY]) {
      for (const text of texts) expect(text.includes(secret)).toBe(false)
    }
    // The private credentials folders of the dumps are gone.
    expect((await readdir(f.sandbox.tmp)).filter((n) => n.startsWith('sfdb-cred-'))).toEqual([])
  })
})
