/**
 * Offsite copies to a folder (the rule of every file we write: `.part`, fsync, rename, verified by reading
 * back), the retry with backoff (injected waits, no real sleep), the record in the metadata, and the
 * retention rule of runs that copy offsite.
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolderDestination } from '../../../shared/destination.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { copyBackupOffsite, withCopies } from '../../../electron/engine/offsite/copy-backup.ts'
import {
  findDestinations,
  loadDestinations,
  putDestination,
  removeDestination,
} from '../../../electron/engine/offsite/destinations.ts'
import { copyToFolder } from '../../../electron/engine/offsite/folder-copy.ts'
import { noRetry, withRetry } from '../../../electron/engine/offsite/retry.ts'
import { hasVerifiedCopy, keepUncopied } from '../../../electron/engine/retention/offsite-guard.ts'
import type { RetentionPlan } from '../../../electron/engine/retention/retention.ts'
import type { CatalogEntry } from '../../../electron/engine/catalog/catalog-entry.ts'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdb-offsite-'))
})
afterEach(async () => {
  await chmod(join(dir, 'nas'), 0o700).catch(() => {})
  await rm(dir, { recursive: true, force: true })
})

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const noHostKeys = { knownHostsFile: '/nonexistent/known_hosts', insecure: false }

/** A backup as the engine leaves it: the dump, its `.users.sql` and its `.meta.json`. */
async function backup(bytes = 3 * 256 * 1024 + 17): Promise<{ file: string; data: Buffer }> {
  const data = randomBytes(bytes)
  const file = join(dir, 'local', 'shop_20261203_010203.sql.zst')
  await mkdir(join(dir, 'local'), { recursive: true })
  await writeFile(file, data)
  await writeFile(`${file}.users.sql`, 'CREATE USER x;\n')
  const meta = {
    format: 'sfdbtools-desktop/1',
    database_name: 'shop',
    status: 'success',
    user_grants_file: 'shop_20261203_010203.sql.zst.users.sql',
    gtid_file: null,
    file: { name: 'shop_20261203_010203.sql.zst', sha256: sha(data), size_bytes: bytes, sql_size_bytes: 1 },
    warnings: [],
  }
  await writeFile(`${file}.meta.json`, JSON.stringify(meta), { mode: 0o640 })
  await chmod(`${file}.meta.json`, 0o640)
  return { file, data }
}

describe('copy to a folder', () => {
  it('writes through a .part, renames, verifies, and reports progress', async () => {
    const { file, data } = await backup()
    const nas: FolderDestination = { kind: 'folder', name: 'nas', path: join(dir, 'nas') }
    const seen: number[] = []
    const copied = await copyToFolder(nas, file, {
      expectedSha256: sha(data),
      onProgress: (bytes, total) => {
        expect(total).toBe(data.length)
        seen.push(bytes)
      },
    })
    expect(copied).toMatchObject({ bytes: data.length, sha256: sha(data) })
    expect(copied.url).toBe(`file://${join(dir, 'nas', 'shop_20261203_010203.sql.zst')}`)
    expect(await readFile(join(dir, 'nas', 'shop_20261203_010203.sql.zst'))).toEqual(data)
    expect((await stat(join(dir, 'nas', 'shop_20261203_010203.sql.zst'))).mode & 0o777).toBe(0o600)
    expect(seen[0]).toBe(0)
    expect(seen.at(-1)).toBe(data.length)
    expect(seen.length).toBeGreaterThan(3)
    expect(await readdir(join(dir, 'nas'))).toEqual(['shop_20261203_010203.sql.zst'])
  })

  it('a cancel mid-copy leaves neither a .part nor a file', async () => {
    const { file } = await backup()
    const nas: FolderDestination = { kind: 'folder', name: 'nas', path: join(dir, 'nas') }
    const controller = new AbortController()
    const run = copyToFolder(nas, file, {
      signal: controller.signal,
      onProgress: (bytes) => bytes > 0 && controller.abort(),
    })
    await expect(run).rejects.toMatchObject({ code: 'Cancelled' })
    expect(await readdir(join(dir, 'nas'))).toEqual([])
  })

  it('a local file that no longer matches its metadata is not copied (ChecksumMismatch, no .part)', async () => {
    const { file } = await backup()
    const nas: FolderDestination = { kind: 'folder', name: 'nas', path: join(dir, 'nas') }
    await expect(copyToFolder(nas, file, { expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'ChecksumMismatch',
    })
    expect(await readdir(join(dir, 'nas'))).toEqual([])
  })

  it('an unwritable destination is CopyFailed naming it, with advice', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a path under a regular file cannot be a folder for anyone.
      await writeFile(join(dir, 'nas'), 'not a folder')
    } else {
      await mkdir(join(dir, 'nas'))
      await chmod(join(dir, 'nas'), 0o500)
    }
    const { file } = await backup(1000)
    const nas: FolderDestination = { kind: 'folder', name: 'nas', path: join(dir, 'nas', 'sub') }
    const e = await copyToFolder(nas, file).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(EngineError)
    expect(e).toMatchObject({ code: 'CopyFailed', advice: { code: 'copyUnreachable' } })
    expect((e as Error).message).toContain('nas')
  })
})

describe('retry with backoff', () => {
  it('tries 3 times with the configured waits, then throws the last error', async () => {
    const waits: number[] = []
    let calls = 0
    const run = withRetry(
      async () => {
        calls++
        throw new EngineError('CopyFailed', `attempt ${calls} failed`)
      },
      { attempts: 3, delays: [100, 400], sleep: async (ms) => void waits.push(ms) },
    )
    await expect(run).rejects.toThrow('attempt 3 failed')
    expect(calls).toBe(3)
    expect(waits).toEqual([100, 400])
  })

  it('succeeds on a later attempt; an error marked final is not tried again', async () => {
    let calls = 0
    const ok = await withRetry(async () => (++calls < 2 ? Promise.reject(new Error('flaky')) : 'done'), {
      attempts: 3,
      delays: [5],
      sleep: async () => {},
    })
    expect([ok, calls]).toEqual(['done', 2])
    calls = 0
    const refused = withRetry(
      async () => {
        calls++
        throw noRetry(new EngineError('CopyFailed', 'login refused'))
      },
      { attempts: 3, delays: [5], sleep: async () => {} },
    )
    await expect(refused).rejects.toThrow('login refused')
    expect(calls).toBe(1)
  })
})

describe('a backup copied to its destinations', () => {
  it('copies the dump and companions, and records the verified copy in the metadata (mode and fields kept)', async () => {
    const { file } = await backup()
    const nas: FolderDestination = { kind: 'folder', name: 'nas', path: join(dir, 'nas') }
    const outcome = await copyBackupOffsite(file, [{ destination: nas }], { hostKeys: noHostKeys })
    expect(outcome.failures).toEqual([])
    expect((await readdir(join(dir, 'nas'))).sort()).toEqual([
      'shop_20261203_010203.sql.zst',
      'shop_20261203_010203.sql.zst.meta.json',
      'shop_20261203_010203.sql.zst.users.sql',
    ])
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.copies).toEqual([
      { destination: 'nas', url: expect.stringMatching(/^file:\/\//), verified_at: expect.any(String) },
    ])
    expect(meta.status).toBe('success')
    expect(meta.database_name).toBe('shop')
    expect((await stat(`${file}.meta.json`)).mode & 0o777).toBe(0o640)
    expect(hasVerifiedCopy(meta)).toBe(true)
  })

  it('a destination that keeps failing: retried, then success_with_warnings with the reason, file kept', async () => {
    const { file, data } = await backup(1000)
    await writeFile(join(dir, 'blocked'), 'a file where the folder should be')
    const dead: FolderDestination = { kind: 'folder', name: 'deadnas', path: join(dir, 'blocked', 'x') }
    const waits: number[] = []
    const outcome = await copyBackupOffsite(file, [{ destination: dead }], {
      hostKeys: noHostKeys,
      retry: { attempts: 3, delays: [10, 40], sleep: async (ms) => void waits.push(ms) },
    })
    expect(waits).toEqual([10, 40])
    expect(outcome.copies).toEqual([])
    expect(outcome.failures[0]).toMatchObject({ destination: 'deadnas', error: { code: 'CopyFailed' } })
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.status).toBe('success_with_warnings')
    expect(meta.copies).toEqual([])
    expect(meta.warnings[0]).toContain('deadnas')
    expect(await readFile(file)).toEqual(data)
    const target = withCopies(
      {
        databases: ['shop'],
        status: 'success',
        file,
        bytes: 1000,
        sqlBytes: 1,
        sha256: sha(data),
        durationMs: 1,
        warnings: [],
        error: null,
      },
      outcome,
    )
    expect(target.status).toBe('success_with_warnings')
    expect(target.warnings[0]).toMatch(/offsite copy to deadnas failed \[CopyFailed\]/)
  })
})

describe('destinations.json', () => {
  it('is written 0600 and atomically; names are unique; an unknown name is a named error', async () => {
    const config = join(dir, 'config')
    expect(await loadDestinations(config)).toEqual([])
    await putDestination(config, { kind: 'folder', name: 'nas', path: '/mnt/nas' })
    await putDestination(config, {
      kind: 'sftp',
      name: 'off1',
      host: 'backup.example',
      port: 22,
      user: 'bk',
      path: '/srv/backups',
      auth: 'password',
    })
    await putDestination(config, { kind: 'folder', name: 'nas', path: '/mnt/nas2' })
    expect((await stat(join(config, 'destinations.json'))).mode & 0o777).toBe(0o600)
    expect((await loadDestinations(config)).map((d) => d.name)).toEqual(['off1', 'nas'])
    expect(await readdir(config)).toEqual(['destinations.json'])
    await expect(findDestinations(config, ['nope'])).rejects.toMatchObject({
      code: 'InvalidInput',
      advice: { code: 'copyUnknownDestination' },
    })
    expect(await removeDestination(config, 'nas')).toBe(true)
    expect(await removeDestination(config, 'nas')).toBe(false)
    await expect(putDestination(config, { kind: 'folder', name: '../x', path: '/x' })).rejects.toMatchObject({
      code: 'InvalidInput',
    })
  })
})

describe('retention with offsite copies', () => {
  it('keeps a backup past its age whose metadata has no verified copy', async () => {
    const meta = async (name: string, copies?: unknown): Promise<string> => {
      const path = join(dir, `${name}.meta.json`)
      await writeFile(path, JSON.stringify({ status: 'success', ...(copies ? { copies } : {}) }))
      return path
    }
    const entry = (metaPath: string): CatalogEntry => ({ metaPath }) as CatalogEntry
    const copied = entry(
      await meta('a', [{ destination: 'nas', url: 'file:///x', verified_at: '2026-01-01' }]),
    )
    const uncopied = entry(await meta('b'))
    const unverified = entry(await meta('c', [{ destination: 'nas', url: 'file:///x' }]))
    const plan: RetentionPlan = {
      remove: [copied, uncopied, unverified],
      keep: [],
      reasons: new Map(),
      cutoff: new Date(),
    }
    const guarded = await keepUncopied(plan)
    expect(guarded.remove).toEqual([copied])
    expect(guarded.keep).toEqual([uncopied, unverified])
    expect(guarded.reasons.get(uncopied.metaPath)).toContain('no verified offsite copy')
  })
})
