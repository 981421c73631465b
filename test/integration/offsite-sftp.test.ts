/**
 * Offsite copies over SFTP against the real private sshd of the tests (OpenSSH, internal-sftp): upload and
 * verify (remote sha256sum for a shell account, a read-back for one without), the record in the metadata,
 * a dead destination, a wrong password, an unknown host key, and a cancel mid-upload — never a partial
 * file left, never a secret in a process's arguments or in the metadata.
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SftpDestination } from '../../shared/destination.ts'
import { copyBackupOffsite } from '../../electron/engine/offsite/copy-backup.ts'
import { pruneDestination } from '../../electron/engine/offsite/remote-retention.ts'
import { openSftp, type SftpHostKeys } from '../../electron/engine/offsite/sftp-copy.ts'
import { freePort } from '../harness/mariadb.ts'
import { listProcesses } from '../harness/processes.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

const execFileAsync = promisify(execFile)
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('offsite copies over SFTP (the private sshd)', () => {
  let sshd: PrivateSshd
  let dir = ''
  let login = { user: '', password: '' }
  let hostKeys: SftpHostKeys
  const remoteKey = (): string => join(dir, 'remote-key')
  /** Outside the run's private TMPDIR (0700): the password account must reach it. Removed afterwards. */
  let pwDir = ''
  const remotePw = (): string => join(pwDir, 'remote-pw')

  beforeAll(async () => {
    sshd = await startPrivateSshd({ passwordLogin: true })
    login = sshd.passwordLogin ?? login
    dir = await mkdtemp(join(tmpdir(), 'sfdb-sftp-'))
    await mkdir(remoteKey())
    pwDir = await mkdtemp('/tmp/sfdb-sftp-pw-')
    await chmod(pwDir, 0o755)
    await mkdir(remotePw())
    await execFileAsync('chown', [login.user, remotePw()])
    await writeFile(join(dir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
    hostKeys = { knownHostsFile: join(dir, 'known_hosts'), insecure: false }
  })
  afterAll(async () => {
    await sshd.stop()
    await rm(dir, { recursive: true, force: true })
    if (pwDir) await rm(pwDir, { recursive: true, force: true })
  })

  const keyDestination = (): SftpDestination => ({
    kind: 'sftp',
    name: 'offkey',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    path: remoteKey(),
    auth: 'key',
    identityFile: sshd.identityFile,
  })
  const pwDestination = (): SftpDestination => ({
    kind: 'sftp',
    name: 'offpw',
    host: sshd.host,
    port: sshd.port,
    user: login.user,
    path: remotePw(),
    auth: 'password',
  })

  /** A finished backup: dump, `.gtid`, `.meta.json`. */
  async function backup(name: string, bytes: number): Promise<{ file: string; data: Buffer }> {
    const data = randomBytes(bytes)
    await mkdir(join(dir, 'local'), { recursive: true })
    const file = join(dir, 'local', `${name}.sql.zst`)
    await writeFile(file, data)
    await writeFile(`${file}.gtid`, '0-1-42\n')
    const meta = {
      format: 'sfdbtools-desktop/1',
      status: 'success',
      user_grants_file: null,
      gtid_file: `${name}.sql.zst.gtid`,
      file: { name: `${name}.sql.zst`, sha256: sha(data), size_bytes: bytes, sql_size_bytes: 1 },
      warnings: [],
    }
    await writeFile(`${file}.meta.json`, JSON.stringify(meta))
    return { file, data }
  }

  it('uploads with a key, verifies by the server’s sha256sum, and records the copy', async () => {
    const { file, data } = await backup('keyed', 2 * 1024 * 1024 + 5)
    const progress: number[] = []
    const outcome = await copyBackupOffsite(file, [{ destination: keyDestination() }], {
      hostKeys,
      onProgress: (p) => p.file === 'keyed.sql.zst' && progress.push(p.bytes),
    })
    expect(outcome.failures).toEqual([])
    expect((await readdir(remoteKey())).sort()).toEqual([
      'keyed.sql.zst',
      'keyed.sql.zst.gtid',
      'keyed.sql.zst.meta.json',
    ])
    expect(await readFile(join(remoteKey(), 'keyed.sql.zst'))).toEqual(data)
    expect(progress.at(-1)).toBe(data.length)
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.copies).toEqual([
      {
        destination: 'offkey',
        url: `sftp://${sshd.user}@${sshd.host}:${sshd.port}${remoteKey()}/keyed.sql.zst`,
        verified_at: expect.any(String),
      },
    ])
    expect(meta.status).toBe('success')
  })

  it('destination retention reads the metadata over SFTP and the session closes cleanly (dry run)', async () => {
    // Before the fix, the remote .meta.json streams failed "No response from server" after the session
    // closed, an uncaught error that ended the process (vitest reports it as a failure of this file).
    const { plan, result } = await pruneDestination(
      { destination: { ...keyDestination(), retention: { retentionDays: 30, minBackups: 1 } } },
      hostKeys,
      { apply: false },
    )
    expect(result).toBeNull()
    expect(plan.remove).toEqual([])
    expect(plan.keep.length + plan.ignored.length).toBeGreaterThan(0)
    await new Promise((resolve) => setImmediate(resolve))
  })

  it('uploads with a password (an account without a shell: verified by reading back); no secret anywhere', async () => {
    const { file, data } = await backup('pw', 1024 * 1024)
    let argvChecked = false
    const outcome = await copyBackupOffsite(
      file,
      [{ destination: pwDestination(), secret: { password: login.password } }],
      {
        hostKeys,
        onProgress: (p) => {
          if (argvChecked || p.bytes === 0) return
          argvChecked = true
          void listProcesses().then((all) => {
            for (const proc of all) expect(proc.argv.join(' ')).not.toContain(login.password)
          })
        },
      },
    )
    expect(outcome.failures).toEqual([])
    expect(await readFile(join(remotePw(), 'pw.sql.zst'))).toEqual(data)
    const all = await listProcesses()
    for (const proc of all) expect(proc.argv.join(' ')).not.toContain(login.password)
    const metaText = await readFile(`${file}.meta.json`, 'utf8')
    expect(metaText).not.toContain(login.password)
    expect(JSON.parse(metaText).copies[0].destination).toBe('offpw')
  })

  it('a wrong password: a named error, not retried, the local file kept, success_with_warnings', async () => {
    const { file, data } = await backup('wrongpw', 4096)
    const waits: number[] = []
    const outcome = await copyBackupOffsite(
      file,
      [{ destination: pwDestination(), secret: { password: 'not-the-password' } }],
      { hostKeys, retry: { attempts: 3, delays: [5, 5], sleep: async (ms) => void waits.push(ms) } },
    )
    expect(waits).toEqual([])
    expect(outcome.failures[0]?.error).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyLoginRefused', params: { destination: 'offpw' } },
    })
    expect(outcome.failures[0]?.error.message).toContain('refused the login')
    expect(await readFile(file)).toEqual(data)
    const metaText = await readFile(`${file}.meta.json`, 'utf8')
    expect(JSON.parse(metaText)).toMatchObject({ status: 'success_with_warnings', copies: [] })
    expect(metaText).not.toContain('not-the-password')
    expect(await readdir(remotePw())).not.toContain('wrongpw.sql.zst')
  })

  it('a dead port: tried 3 times with backoff, then a named error', async () => {
    const { file } = await backup('deadport', 4096)
    const waits: number[] = []
    const dead = { ...keyDestination(), name: 'offdead', port: await freePort() }
    const outcome = await copyBackupOffsite(file, [{ destination: dead }], {
      hostKeys,
      retry: { attempts: 3, delays: [20, 80], sleep: async (ms) => void waits.push(ms) },
    })
    expect(waits).toEqual([20, 80])
    expect(outcome.failures[0]?.error).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyUnreachable' },
    })
    expect(outcome.failures[0]?.error.message).toContain('offdead')
  })

  it('an unknown host key is refused (never silently accepted)', async () => {
    await writeFile(join(dir, 'empty_known_hosts'), '')
    const e = await openSftp(
      keyDestination(),
      {},
      { knownHostsFile: join(dir, 'empty_known_hosts'), insecure: false },
    ).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'CopyFailed', advice: { code: 'sshHostKeyUnknown' } })
    expect((e as Error).message).toContain('unknown SSH host key')
    expect(await readFile(join(dir, 'empty_known_hosts'), 'utf8')).toBe('')
  })

  it('a cancel mid-upload removes the remote .part: nothing partial is left', async () => {
    const { file } = await backup('cancelled', 16 * 1024 * 1024)
    const before = await readdir(remoteKey())
    const session = await openSftp(keyDestination(), {}, hostKeys)
    const controller = new AbortController()
    let sawPart = false
    try {
      const run = session.put(file, {
        signal: controller.signal,
        onProgress: (bytes) => {
          if (bytes < 1024 * 1024) return
          void readdir(remoteKey()).then((names) => {
            sawPart ||= names.includes('cancelled.sql.zst.part')
            controller.abort()
          })
        },
      })
      await expect(run).rejects.toMatchObject({ code: 'Cancelled' })
    } finally {
      session.close()
    }
    expect(sawPart).toBe(true) // the upload was really under way
    expect(await readdir(remoteKey())).toEqual(before)
  })
})
