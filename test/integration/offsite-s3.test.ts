/**
 * Offsite copies to S3 against s3rver, an S3 emulator (test/harness/s3.ts), through the real AWS SDK: a
 * multipart upload of a real backup set (verified by reading it back: s3rver keeps no checksum), the record
 * in the metadata, list/read/remove under the prefix, retention dry run and apply (foreign objects left
 * alone), a dead endpoint, a wrong access key id (not retried), a missing secret, and a cancel or a failure
 * mid-upload (the multipart upload aborted: no object, no unfinished upload) — never the secret in a
 * process's arguments or in the metadata. The CLI cases are in offsite-s3-cli.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { S3Destination } from '../../shared/destination.ts'
import { copyBackupOffsite } from '../../electron/engine/offsite/copy-backup.ts'
import { pruneDestination } from '../../electron/engine/offsite/remote-retention.ts'
import { S3_MIN_PART_BYTES } from '../../electron/engine/offsite/s3-copy.ts'
import { openDestination, type RunDestination } from '../../electron/engine/offsite/session.ts'
import { hashStream } from '../../electron/engine/offsite/transfer.ts'
import { freePort } from '../harness/mariadb.ts'
import { listProcesses } from '../harness/processes.ts'
import { S3RVER_KEY, startPrivateS3, type PrivateS3 } from '../harness/s3.ts'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const noHostKeys = { knownHostsFile: '/nonexistent/known_hosts', insecure: false }
/** Injected waits: the retries happen, no real sleep. */
const recorder = (waits: number[]) => ({
  attempts: 3,
  delays: [20, 80],
  sleep: async (ms: number) => void waits.push(ms),
})

describe('offsite copies to S3 (the s3rver emulator)', () => {
  let s3: PrivateS3
  let dir = ''
  /** s3rver checks the access key id only; a distinctive secret shows wherever it would leak. */
  const secret = `s3-secret-${randomBytes(8).toString('hex')}`
  const destination = (over: Partial<S3Destination> = {}): S3Destination => ({
    kind: 's3',
    name: 'bucket1',
    bucket: s3.bucket,
    prefix: 'nightly/db1',
    region: 'us-east-1',
    endpoint: s3.endpoint,
    pathStyle: true,
    credentials: 'keychain',
    accessKeyId: S3RVER_KEY.accessKeyId,
    ...over,
  })
  const run = (over: Partial<S3Destination> = {}): RunDestination => ({
    destination: destination(over),
    secret: { secretAccessKey: secret },
    s3PartBytes: S3_MIN_PART_BYTES,
  })
  const sdk = (): S3Client =>
    new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_KEY,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })

  beforeAll(async () => {
    s3 = await startPrivateS3()
    dir = await mkdtemp(join(tmpdir(), 'sfdb-s3-'))
  })
  afterAll(async () => {
    await s3?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  /** A finished backup: dump, `.users.sql`, `.gtid`, `.meta.json` (dated `started`). */
  async function backup(
    name: string,
    bytes: number,
    started = new Date(),
  ): Promise<{ file: string; data: Buffer }> {
    const data = randomBytes(bytes)
    await mkdir(join(dir, 'local'), { recursive: true })
    const file = join(dir, 'local', `${name}.sql.zst`)
    await writeFile(file, data)
    await writeFile(`${file}.users.sql`, 'CREATE USER x;\n')
    await writeFile(`${file}.gtid`, '0-1-42\n')
    const meta = {
      format: 'sfdbtools-desktop/1',
      databases: ['shop'],
      database_name: 'shop',
      backup_date: started.toISOString(),
      status: 'success',
      user_grants_file: `${name}.sql.zst.users.sql`,
      gtid_file: `${name}.sql.zst.gtid`,
      file: { name: `${name}.sql.zst`, sha256: sha(data), size_bytes: bytes, sql_size_bytes: 1 },
      server: { host: '127.0.0.1', port: 3306, hostname: 'db1', flavor: 'mariadb', version: '10.11' },
      warnings: [],
    }
    await writeFile(`${file}.meta.json`, JSON.stringify(meta))
    return { file, data }
  }

  it('uploads a backup set in parts, verifies it by reading it back, and records the copy', async () => {
    const size = 2 * S3_MIN_PART_BYTES + 12_345 // three parts
    const { file, data } = await backup('multi', size)
    const before = s3.requests.length
    const progress: number[] = []
    let argvChecked = false
    const configured = { storageClass: 'STANDARD_IA', sse: 'aws:kms' as const, kmsKeyId: 'alias/backups' }
    const outcome = await copyBackupOffsite(file, [run(configured)], {
      hostKeys: noHostKeys,
      onProgress: (p) => {
        if (p.file !== 'multi.sql.zst') return
        progress.push(p.bytes)
        if (argvChecked || p.bytes === 0) return
        argvChecked = true
        void listProcesses().then((all) => {
          for (const proc of all) expect(proc.argv.join(' ')).not.toContain(secret)
        })
      },
    })
    expect(outcome.failures).toEqual([])
    expect(await s3.objectKeys()).toEqual(
      expect.arrayContaining([
        'nightly/db1/multi.sql.zst',
        'nightly/db1/multi.sql.zst.users.sql',
        'nightly/db1/multi.sql.zst.gtid',
        'nightly/db1/multi.sql.zst.meta.json',
      ]),
    )
    const sent = s3.requests.slice(before)
    const dumpPath = `/${s3.bucket}/nightly/db1/multi.sql.zst`
    expect(
      sent.filter((r) => r.path === dumpPath && r.method === 'PUT' && 'partNumber' in r.query),
    ).toHaveLength(3)
    expect(sent.some((r) => r.path === dumpPath && r.method === 'GET')).toBe(true) // the read-back
    const create = sent.find((r) => r.path === dumpPath && r.method === 'POST' && 'uploads' in r.query)
    expect(create?.headers).toMatchObject({
      'x-amz-checksum-algorithm': 'SHA256',
      'x-amz-storage-class': 'STANDARD_IA',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/backups',
      'x-amz-meta-sha256': sha(data),
    })
    const parts = sent.filter((r) => r.path === dumpPath && 'partNumber' in r.query)
    const partBytes = [0, 1, 2].map((i) => data.subarray(i * S3_MIN_PART_BYTES, (i + 1) * S3_MIN_PART_BYTES))
    expect(parts.map((r) => r.headers['x-amz-checksum-sha256'])).toEqual(
      partBytes.map((b) => createHash('sha256').update(b).digest('base64')),
    )
    // No aws-chunked trailer encoding anywhere: every body is sent as it is.
    expect(sent.filter((r) => (r.headers['content-encoding'] ?? '').includes('aws-chunked'))).toEqual([])
    const small = sent.find((r) => r.path === `${dumpPath}.gtid` && r.method === 'PUT')
    expect(small?.headers).toMatchObject({
      'x-amz-checksum-sha256': createHash('sha256').update('0-1-42\n').digest('base64'),
      'x-amz-meta-sha256': sha(Buffer.from('0-1-42\n')),
      'x-amz-storage-class': 'STANDARD_IA',
    })
    expect(progress).toEqual([0, S3_MIN_PART_BYTES, 2 * S3_MIN_PART_BYTES, size])
    expect(await s3.unfinishedUploads()).toEqual([])
    const head = await sdk().send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: 'nightly/db1/multi.sql.zst' }),
    )
    expect(head.ContentLength).toBe(size)
    expect(head.Metadata?.sha256).toBe(sha(data))
    const metaText = await readFile(`${file}.meta.json`, 'utf8')
    expect(JSON.parse(metaText).copies).toEqual([
      {
        destination: 'bucket1',
        url: `s3://${s3.bucket}/nightly/db1/multi.sql.zst`,
        verified_at: expect.any(String),
      },
    ])
    expect(metaText).not.toContain(secret)
    for (const proc of await listProcesses()) expect(proc.argv.join(' ')).not.toContain(secret)
  })

  it('lists the direct children of the prefix, reads and removes them', async () => {
    const client = sdk()
    for (const key of ['nightly/db1/sub/deeper.txt', 'nightly/other.txt', 'elsewhere.txt'])
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'x' }))
    const session = await openDestination(run(), noHostKeys)
    try {
      const names = (await session.list()).map((f) => f.name).sort()
      expect(names).toEqual(
        ['multi.sql.zst', 'multi.sql.zst.gtid', 'multi.sql.zst.meta.json', 'multi.sql.zst.users.sql'].sort(),
      )
      const gtid = await hashStream(await session.read('multi.sql.zst.gtid'))
      expect(gtid).toEqual({ bytes: 7, sha256: sha(Buffer.from('0-1-42\n')) })
      await session.remove('multi.sql.zst.gtid')
      expect((await session.list()).map((f) => f.name)).not.toContain('multi.sql.zst.gtid')
      await expect(session.read('multi.sql.zst.gtid')).rejects.toMatchObject({ code: 'CopyFailed' })
    } finally {
      session.close()
    }
    expect(await s3.objectKeys()).toEqual(
      expect.arrayContaining(['nightly/db1/sub/deeper.txt', 'elsewhere.txt']),
    )
  })

  it('retention: a dry run lists the old sets, apply removes them; foreign objects stay', async () => {
    const day = 86_400_000
    const prefix = { prefix: 'retained' }
    for (const [name, age] of [
      ['r_old', 40],
      ['r_mid', 20],
      ['r_new', 1],
    ] as const) {
      const { file } = await backup(name, 1000, new Date(Date.now() - age * day))
      expect((await copyBackupOffsite(file, [run(prefix)], { hostKeys: noHostKeys })).failures).toEqual([])
    }
    const client = sdk()
    for (const [key, body] of [
      ['retained/notes.txt', 'mine, not a backup'],
      ['retained/foreign.sql.gz', 'someone else’s dump'],
      ['retained/foreign.sql.gz.meta.json', '{ not json'],
    ])
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }))
    const policy = run({ ...prefix, retention: { retentionDays: 7, minBackups: 1 } })
    const dry = await pruneDestination(policy, noHostKeys, { apply: false })
    expect(dry.result).toBeNull()
    expect(dry.plan.remove.map((x) => x.set.dump)).toEqual(['r_old.sql.zst', 'r_mid.sql.zst'])
    expect(dry.plan.remove[0]?.set.files).toHaveLength(4)
    expect(dry.plan.ignored.map((i) => i.name)).toEqual(['foreign.sql.gz.meta.json'])
    const before = await s3.objectKeys()
    expect(before.filter((k) => k.startsWith('retained/'))).toHaveLength(15)
    const applied = await pruneDestination(policy, noHostKeys, { apply: true })
    expect(applied.result?.errors).toEqual([])
    expect(applied.result?.removed.map((r) => r.files.length)).toEqual([4, 4])
    expect((await s3.objectKeys()).filter((k) => k.startsWith('retained/'))).toEqual(
      [
        'retained/foreign.sql.gz',
        'retained/foreign.sql.gz.meta.json',
        'retained/notes.txt',
        'retained/r_new.sql.zst',
        'retained/r_new.sql.zst.gtid',
        'retained/r_new.sql.zst.meta.json',
        'retained/r_new.sql.zst.users.sql',
      ].sort(),
    )
  })

  it('a dead endpoint: tried 3 times with backoff, then a named error; the local file kept', async () => {
    const { file, data } = await backup('dead', 4096)
    const waits: number[] = []
    const dead = run({ name: 's3dead', endpoint: `http://127.0.0.1:${await freePort()}` })
    const outcome = await copyBackupOffsite(file, [dead], { hostKeys: noHostKeys, retry: recorder(waits) })
    expect(waits).toEqual([20, 80])
    expect(outcome.failures[0]?.error).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyUnreachable' },
    })
    expect(outcome.failures[0]?.error.message).toContain('s3dead')
    expect(await readFile(file)).toEqual(data)
    const metaText = await readFile(`${file}.meta.json`, 'utf8')
    expect(JSON.parse(metaText)).toMatchObject({ status: 'success_with_warnings', copies: [] })
    expect(JSON.parse(metaText).warnings.join('\n')).toMatch(/offsite copy to s3dead failed \[CopyFailed\]/)
  })

  it('a wrong access key id: a named error, not retried, nothing uploaded', async () => {
    const { file } = await backup('wrongkey', 4096)
    const waits: number[] = []
    const wrong = run({ name: 's3wrong', accessKeyId: 'NOT-A-KEY', prefix: 'wrongkey' })
    const outcome = await copyBackupOffsite(file, [wrong], { hostKeys: noHostKeys, retry: recorder(waits) })
    expect(waits).toEqual([])
    expect(outcome.failures[0]?.error).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyLoginRefused', params: { destination: 's3wrong', user: 'NOT-A-KEY', kind: 's3' } },
    })
    expect(outcome.failures[0]?.error.message).toContain('InvalidAccessKeyId')
    expect(s3.requests.filter((r) => r.accessKeyId === 'NOT-A-KEY')).toHaveLength(1)
    expect((await s3.objectKeys()).filter((k) => k.startsWith('wrongkey/'))).toEqual([])
    expect(await readFile(`${file}.meta.json`, 'utf8')).not.toContain(secret)
  })

  it('no secret in the keychain: a named error before any request', async () => {
    const { file } = await backup('nosecret', 4096)
    const before = s3.requests.length
    const outcome = await copyBackupOffsite(file, [{ destination: destination({ name: 's3nosecret' }) }], {
      hostKeys: noHostKeys,
      retry: recorder([]),
    })
    expect(outcome.failures[0]?.error).toMatchObject({
      code: 'MissingKey',
      advice: { code: 'copyLoginRefused' },
    })
    expect(outcome.failures[0]?.error.message).toContain(
      'no secret access key of the S3 destination s3nosecret',
    )
    expect(s3.requests.length).toBe(before)
  })

  it('a cancel mid-upload aborts the multipart upload: no object, no unfinished upload', async () => {
    const { file } = await backup('cancelled', 3 * S3_MIN_PART_BYTES)
    const session = await openDestination(run({ prefix: 'cancel' }), noHostKeys)
    const controller = new AbortController()
    const before = s3.requests.length
    try {
      const put = session.put(file, {
        signal: controller.signal,
        onProgress: (bytes) => {
          if (bytes > 0) controller.abort() // after the first part
        },
      })
      await expect(put).rejects.toMatchObject({ code: 'Cancelled' })
    } finally {
      session.close()
    }
    const sent = s3.requests.slice(before)
    expect(sent.filter((r) => 'partNumber' in r.query)).toHaveLength(1) // really under way
    expect(sent.some((r) => r.method === 'DELETE' && 'uploadId' in r.query)).toBe(true)
    expect(await s3.unfinishedUploads()).toEqual([])
    expect((await s3.objectKeys()).filter((k) => k.startsWith('cancel/'))).toEqual([])
  })

  it('a file that does not match its metadata fails after its parts were sent: the upload is aborted', async () => {
    const { file } = await backup('changed', 2 * S3_MIN_PART_BYTES + 1)
    const session = await openDestination(run({ prefix: 'changed' }), noHostKeys)
    try {
      await expect(session.put(file, { expectedSha256: 'f'.repeat(64) })).rejects.toMatchObject({
        code: 'ChecksumMismatch',
      })
    } finally {
      session.close()
    }
    expect(
      s3.requests.some(
        (r) => r.method === 'PUT' && r.path.startsWith(`/${s3.bucket}/changed/`) && 'partNumber' in r.query,
      ),
    ).toBe(true)
    expect(await s3.unfinishedUploads()).toEqual([])
    expect((await s3.objectKeys()).filter((k) => k.startsWith('changed/'))).toEqual([])
  })
})
