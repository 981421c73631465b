/**
 * S3 destinations and destination retention through the built CLI, against s3rver (an S3 emulator,
 * test/harness/s3.ts) and the private mariadbd: `destination add-s3` (the secret access key on stdin, into
 * a real keyring), list, test, `backup --copy-to` with the destination's retention applied after the copy,
 * `destination prune` (dry run, then --apply; foreign objects untouched), set-retention, a wrong access key
 * id (a warning, the local file kept), the AWS credential chain, remove (the secret gone with it) — and the
 * secret never in argv, output, logs, config or metadata.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import type { S3Destination } from '../../shared/destination.ts'
import { copyBackupOffsite } from '../../electron/engine/offsite/copy-backup.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { startKeyringSession, type KeyringSession } from '../harness/keyring.ts'
import { S3RVER_KEY, startPrivateS3, type PrivateS3 } from '../harness/s3.ts'

/** Every file under a folder, read as text. */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  const texts = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => readFile(join(e.parentPath, e.name), 'utf8').catch(() => '')),
  )
  return texts.join('\n')
}

const DAY = 86_400_000

describe('S3 destinations and destination retention from the command line (s3rver)', () => {
  const f = useBackupFixture('offs3', (conn) => createSampleDatabase(conn, 'offs3db', { rows: 30 }))
  let keyring: KeyringSession
  let s3: PrivateS3
  /** s3rver checks the access key id only: a distinctive secret shows wherever it would leak. */
  const secret = `s3-cli-secret-${Date.now().toString(36)}`
  /** The first backup copied (its local file), the source of the older sets seeded on the destination. */
  let firstBackup = ''
  /** No AWS variable of the machine running the tests, no instance metadata lookups. */
  const env = (extra: Record<string, string> = {}): Record<string, string | undefined> => ({
    ...f.env,
    ...keyring.env,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  })
  const addS3 = (name: string, flags: string[], input?: string): ReturnType<typeof runCli> =>
    runCli(
      ['destination', 'add-s3', name, '--bucket', s3.bucket, '--region', 'us-east-1'].concat(
        ['--endpoint', s3.endpoint, '--path-style'],
        flags,
      ),
      { env: env(), ...(input === undefined ? {} : { input }) },
    )
  const backup = async (
    ticket: string,
    copyTo: string,
    json = true,
  ): Promise<{ result: BackupResult | null; stderr: string }> => {
    const run = await runCli(
      [
        'backup',
        'single',
        '-p',
        'offs3',
        '--db',
        'offs3db',
        '-t',
        ticket,
        '-o',
        join(f.sandbox.tmp, 'out'),
      ].concat(['--copy-to', copyTo], json ? ['--json'] : []),
      { env: env() },
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout + run.stderr).not.toContain(secret)
    return { result: json ? (JSON.parse(run.stdout) as BackupResult) : null, stderr: run.stderr }
  }
  const keys = async (prefix: string): Promise<string[]> =>
    (await s3.objectKeys()).filter((k) => k.startsWith(`${prefix}/`)).map((k) => k.slice(prefix.length + 1))

  /**
   * An older backup set of the same database and server on the destination: the local backup copied under
   * another name with its metadata dated `days` ago, uploaded by the engine itself.
   */
  async function seedOldSet(
    file: string,
    name: string,
    days: number,
    destination: S3Destination,
  ): Promise<void> {
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    const old = join(f.sandbox.tmp, name)
    await writeFile(old, await readFile(file))
    const started = new Date(Date.now() - days * DAY).toISOString()
    delete meta.copies
    await writeFile(
      `${old}.meta.json`,
      JSON.stringify({
        ...meta,
        file: { ...meta.file, name },
        backup_date: started,
        time: { ...meta.time, start: started },
        user_grants_file: null,
        gtid_file: null,
      }),
    )
    const outcome = await copyBackupOffsite(old, [{ destination, secret: { secretAccessKey: secret } }], {
      hostKeys: { knownHostsFile: '/nonexistent', insecure: false },
    })
    expect(outcome.failures).toEqual([])
  }
  const cliDestination = (): S3Destination => ({
    kind: 's3',
    name: 's3cli',
    bucket: s3.bucket,
    prefix: 'cli/nightly',
    region: 'us-east-1',
    endpoint: s3.endpoint,
    pathStyle: true,
    credentials: 'keychain',
    accessKeyId: S3RVER_KEY.accessKeyId,
  })

  beforeAll(async () => {
    keyring = await startKeyringSession()
    s3 = await startPrivateS3()
  })
  afterAll(async () => {
    await s3?.stop()
    await keyring?.stop()
  })

  it('add-s3 keeps the secret in the keychain only; list and test work', async () => {
    const add = await addS3(
      's3cli',
      ['--prefix', '/cli/nightly/', '--access-key-id', S3RVER_KEY.accessKeyId, '--secret-stdin'].concat([
        '--storage-class',
        'STANDARD_IA',
        '--retention-days',
        '7',
        '--min-backups',
        '1',
      ]),
      `${secret}\n`,
    )
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toContain(`s3://${s3.bucket}/cli/nightly`)
    const file = join(f.sandbox.configDir, 'destinations.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).not.toContain(secret)
    const list = await runCli(['destination', 'list', '--json'], { env: env() })
    expect(JSON.parse(list.stdout).destinations).toEqual([
      { ...cliDestination(), storageClass: 'STANDARD_IA', retention: { retentionDays: 7, minBackups: 1 } },
    ])
    const text = await runCli(['destination', 'list'], { env: env() })
    expect(text.stdout).toMatch(/s3cli\ts3\ts3:\/\/.*\/cli\/nightly .*STANDARD_IA.*retention 7 days/)
    const test = await runCli(['destination', 'test', 's3cli'], { env: env() })
    expect(test.code, test.stderr).toBe(0)
    expect(test.stdout).toContain('written, verified and removed')
    expect(await keys('cli/nightly')).toEqual([])
    const usage = await addS3('s3x', ['--access-key-id', 'A', '--aws-chain'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--access-key-id')
  })

  it('backup --copy-to copies to S3, recorded in the metadata; the destination’s retention runs after it', async () => {
    const first = await backup('S3ONE', 's3cli')
    const target = first.result?.targets[0]
    expect(target?.status).toBe('success')
    firstBackup = target?.file ?? ''
    const name = basename(firstBackup)
    expect(await keys('cli/nightly')).toEqual(expect.arrayContaining([name, `${name}.meta.json`]))
    const meta = JSON.parse(await readFile(`${target?.file}.meta.json`, 'utf8'))
    expect(meta.copies).toEqual([
      { destination: 's3cli', url: `s3://${s3.bucket}/cli/nightly/${name}`, verified_at: expect.any(String) },
    ])
    // An old set of the same database and server, and objects that are not ours.
    await seedOldSet(target?.file ?? '', 'offs3db_old.sql.zst', 30, cliDestination())
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_KEY,
    })
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: 'cli/nightly/readme.txt', Body: 'not ours' }),
    )
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: 'cli/nightly/x.sql.meta.json', Body: '[]' }),
    )
    expect(await keys('cli/nightly')).toContain('offs3db_old.sql.zst')
    const second = await backup('S3TWO', 's3cli', false)
    expect(second.stderr).toMatch(
      /retention on s3cli: removed offs3db_old\.sql\.zst \(2 files; older than 7 days/,
    )
    const after = await keys('cli/nightly')
    expect(after).not.toContain('offs3db_old.sql.zst')
    expect(after).not.toContain('offs3db_old.sql.zst.meta.json')
    expect(after).toEqual(
      expect.arrayContaining(['readme.txt', 'x.sql.meta.json', name, `${name}.meta.json`]),
    )
    const everything = (await allText(f.sandbox.configDir)) + (await allText(join(f.sandbox.tmp, 'out')))
    expect(everything).not.toContain(secret)
  })

  it('prune: a dry run by default, --apply removes; set-retention changes or turns it off', async () => {
    expect(firstBackup).not.toBe('')
    await seedOldSet(firstBackup, 'offs3db_older.sql.zst', 60, cliDestination())
    const dry = await runCli(['destination', 'prune', 's3cli', '--json'], { env: env() })
    expect(dry.code, dry.stderr).toBe(0)
    const plan = JSON.parse(dry.stdout)
    expect(plan).toMatchObject({
      destination: 's3cli',
      dryRun: true,
      policy: { retentionDays: 7, minBackups: 1 },
    })
    expect(plan.remove.map((r: { dump: string }) => r.dump)).toEqual(['offs3db_older.sql.zst'])
    expect(plan.ignored).toEqual([{ name: 'x.sql.meta.json', reason: expect.any(String) }])
    expect(await keys('cli/nightly')).toContain('offs3db_older.sql.zst')
    const text = await runCli(['destination', 'prune', 's3cli'], { env: env() })
    expect(text.stdout).toMatch(
      /remove +\S+ \S+ +offs3db_older\.sql\.zst +\(2 files, .*\) +older than 7 days/,
    )
    expect(text.stdout).toContain('run again with --apply')
    const applied = await runCli(['destination', 'prune', 's3cli', '--apply', '--json'], { env: env() })
    expect(applied.code, applied.stderr).toBe(0)
    expect(JSON.parse(applied.stdout)).toMatchObject({
      dryRun: false,
      errors: [],
      removed: [{ dump: 'offs3db_older.sql.zst' }],
    })
    expect(await keys('cli/nightly')).not.toContain('offs3db_older.sql.zst')
    expect(await keys('cli/nightly')).toEqual(expect.arrayContaining(['readme.txt', 'x.sql.meta.json']))
    const off = await runCli(['destination', 'set-retention', 's3cli', '--off'], { env: env() })
    expect(off.code, off.stderr).toBe(0)
    const none = await runCli(['destination', 'prune', 's3cli'], { env: env() })
    expect(none.code).not.toBe(0)
    expect(none.stderr).toContain('has no retention')
    const on = await runCli(
      ['destination', 'set-retention', 's3cli', '--retention-days', '30', '--min-backups', '2'],
      {
        env: env(),
      },
    )
    expect(on.code, on.stderr).toBe(0)
    const list = JSON.parse((await runCli(['destination', 'list', '--json'], { env: env() })).stdout)
    expect(list.destinations[0].retention).toEqual({ retentionDays: 30, minBackups: 2 })
  })

  it('a wrong access key id: success_with_warnings naming the destination, the local file kept', async () => {
    const add = await addS3(
      's3bad',
      ['--prefix', 'bad', '--access-key-id', 'NOT-A-KEY', '--secret-stdin'],
      `${secret}\n`,
    )
    expect(add.code, add.stderr).toBe(0)
    const { result } = await backup('S3BAD', 's3bad')
    const target = result?.targets[0]
    expect(target?.status).toBe('success_with_warnings')
    expect(target?.warnings.join('\n')).toMatch(
      /offsite copy to s3bad failed \[CopyFailed\].*refused the credentials/,
    )
    await stat(target?.file ?? '')
    expect(s3.requests.filter((r) => r.accessKeyId === 'NOT-A-KEY')).toHaveLength(1)
    expect(await keys('bad')).toEqual([])
  })

  it('--aws-chain takes the credentials from the environment; without any, a named error', async () => {
    const add = await addS3('s3chain', ['--prefix', 'chain', '--aws-chain'])
    expect(add.code, add.stderr).toBe(0)
    const withEnv = await runCli(['destination', 'test', 's3chain'], {
      env: env({ AWS_ACCESS_KEY_ID: S3RVER_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: secret }),
    })
    expect(withEnv.code, withEnv.stderr).toBe(0)
    const without = await runCli(['destination', 'test', 's3chain'], {
      env: env({
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
      }),
    })
    expect(without.code).not.toBe(0)
    expect(without.stderr).toContain('s3chain')
    expect(without.stderr).toContain('the AWS credential chain')
  })

  it('remove deletes the destination and its secret in the keychain', async () => {
    const removed = await runCli(['destination', 'remove', 's3cli'], { env: env() })
    expect(removed.code, removed.stderr).toBe(0)
    // The same destination written back without `add-s3`: its secret must be gone from the keychain.
    const path = join(f.sandbox.configDir, 'destinations.json')
    const file = JSON.parse(await readFile(path, 'utf8'))
    file.destinations.push(cliDestination())
    await writeFile(path, JSON.stringify(file), { mode: 0o600 })
    const test = await runCli(['destination', 'test', 's3cli'], { env: env() })
    expect(test.code).not.toBe(0)
    expect(test.stderr).toContain('no secret access key of the S3 destination s3cli in the OS keychain')
  })
})
