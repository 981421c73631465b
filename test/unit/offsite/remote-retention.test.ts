/**
 * Retention on a destination, over a folder destination (the same session interface as SFTP and S3): the
 * sets recognised by our `.meta.json`, the age taken from the metadata (never the file's mtime), the newest
 * `minBackups` of each database set kept, the dump removed first and the metadata last — and files that are
 * not ours (no metadata, unparsable metadata, someone else's format, a metadata naming another file) never
 * touched.
 */
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolderDestination } from '../../../shared/destination.ts'
import {
  applyDestinationRetention,
  planDestinationRetention,
  pruneDestination,
  retentionAfterCopies,
} from '../../../electron/engine/offsite/remote-retention.ts'
import { openDestination } from '../../../electron/engine/offsite/session.ts'
import type { DestinationSession } from '../../../electron/engine/offsite/transfer.ts'

const noHostKeys = { knownHostsFile: '/nonexistent/known_hosts', insecure: false }
const NOW = new Date('2026-12-01T12:00:00Z')
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000)

let dir = ''
let nas: FolderDestination
let session: DestinationSession
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdb-remote-retention-'))
  nas = {
    kind: 'folder',
    name: 'nas',
    path: join(dir, 'nas'),
    retention: { retentionDays: 7, minBackups: 2 },
  }
  await mkdir(nas.path)
  session = await openDestination({ destination: nas }, noHostKeys)
})
afterEach(async () => {
  session.close()
  await rm(dir, { recursive: true, force: true })
})

/** A backup set as copies leave it on a destination; its files' mtimes are all "now" (the copy time). */
async function set(
  name: string,
  started: Date,
  options: { db?: string; companions?: ('users' | 'gtid')[]; meta?: Record<string, unknown> } = {},
): Promise<string> {
  const dump = `${name}.sql.zst`
  await writeFile(join(nas.path, dump), `dump of ${name}`)
  const companions = options.companions ?? []
  if (companions.includes('users')) await writeFile(join(nas.path, `${dump}.users.sql`), 'CREATE USER x;\n')
  if (companions.includes('gtid')) await writeFile(join(nas.path, `${dump}.gtid`), '0-1-1\n')
  const meta = {
    format: 'sfdbtools-desktop/1',
    database_name: options.db ?? 'shop',
    databases: [options.db ?? 'shop'],
    backup_date: started.toISOString(),
    status: 'success',
    user_grants_file: companions.includes('users') ? `${dump}.users.sql` : null,
    gtid_file: companions.includes('gtid') ? `${dump}.gtid` : null,
    file: { name: dump, sha256: 'a'.repeat(64), size_bytes: 10, sql_size_bytes: 10 },
    time: { start: started.toISOString(), end: started.toISOString(), duration_ms: 1 },
    server: { host: '10.0.0.5', port: 3306, hostname: 'db1', flavor: 'mariadb', version: '10.11' },
    warnings: [],
    ...options.meta,
  }
  await writeFile(join(nas.path, `${dump}.meta.json`), JSON.stringify(meta))
  return dump
}

/** Files that are not ours, with old mtimes: retention must never touch them. */
async function foreignFiles(): Promise<string[]> {
  const old = daysAgo(400)
  const files: Record<string, string> = {
    'notes.txt': 'not a backup',
    'orphan.sql.gz': 'a dump without metadata',
    'broken.sql.zst': 'a dump whose metadata is damaged',
    'broken.sql.zst.meta.json': '{ not json',
    'theirs.sql.gz': 'a dump of another tool',
    'theirs.sql.gz.meta.json': JSON.stringify({ tool: 'other', backup_date: old.toISOString() }),
    'sfdb.sql.gz': 'an sfDBTools dump (their layout, not ours)',
    'sfdb.sql.gz.meta.json': JSON.stringify({
      backup_file: '/var/backups/sfdb.sql.gz',
      backup_start_time: old.toISOString(),
      database_names: ['shop'],
      backup_status: 'success',
    }),
    'liar.sql.zst': 'a dump whose metadata describes another file',
    'liar.sql.zst.meta.json': JSON.stringify({
      format: 'sfdbtools-desktop/1',
      databases: ['shop'],
      backup_date: old.toISOString(),
      status: 'success',
      file: { name: 'notes.txt', sha256: 'b'.repeat(64), size_bytes: 1, sql_size_bytes: 1 },
    }),
    '.meta.json': '{}',
  }
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(nas.path, name), text)
    await utimes(join(nas.path, name), old, old)
  }
  return Object.keys(files)
}

describe('retention on a destination', () => {
  it('plans from the metadata’s dates: the newest minBackups stay, older sets past the cutoff go', async () => {
    const a = await set('shop_a', daysAgo(30), { companions: ['users', 'gtid'] })
    const b = await set('shop_b', daysAgo(20))
    const c = await set('shop_c', daysAgo(10))
    const d = await set('shop_d', daysAgo(1))
    // The mtimes say the opposite (a re-copy made the old one look new): they do not count.
    await utimes(join(nas.path, d), daysAgo(300), daysAgo(300))
    const plan = await planDestinationRetention(session, 'nas', { retentionDays: 7, minBackups: 2 }, NOW)
    expect(plan.remove.map((x) => x.set.dump)).toEqual([a, b])
    expect(plan.keep.map((x) => x.set.dump).sort()).toEqual([c, d])
    expect(plan.remove[0]?.set.files.map((f) => f.name)).toEqual([
      a,
      `${a}.users.sql`,
      `${a}.gtid`,
      `${a}.meta.json`,
    ])
    expect(plan.remove[0]?.reason).toContain('older than 7 days')
    expect(plan.bytes).toBe(plan.remove.reduce((s, x) => s + x.set.bytes, 0))
    expect(plan.bytes).toBeGreaterThan(0)
    expect(plan.cutoff?.getTime()).toBeLessThan(NOW.getTime())
    // A dry run removes nothing.
    expect((await readdir(nas.path)).length).toBe(10)
  })

  it('each database set keeps its own newest backups', async () => {
    await set('shop_old', daysAgo(50))
    await set('crm_old', daysAgo(60), { db: 'crm' })
    await set('shop_new', daysAgo(40))
    const plan = await planDestinationRetention(session, 'nas', { retentionDays: 7, minBackups: 1 }, NOW)
    expect(plan.remove.map((x) => x.set.dump)).toEqual(['shop_old.sql.zst'])
    expect(plan.keep.map((x) => x.set.dump).sort()).toEqual(['crm_old.sql.zst', 'shop_new.sql.zst'])
  })

  it('applies: dump first, metadata last; files that are not ours are never touched', async () => {
    const foreign = await foreignFiles()
    const a = await set('shop_a', daysAgo(30), { companions: ['gtid'] })
    const b = await set('shop_b', daysAgo(2))
    const c = await set('shop_c', daysAgo(1))
    // Our metadata naming someone else's file as its grants file: the set goes, that file stays.
    const greedy = await set('shop_greedy', daysAgo(40), { meta: { user_grants_file: 'notes.txt' } })
    const removed: string[] = []
    const recording: DestinationSession = {
      ...session,
      remove: async (name) => {
        removed.push(name)
        await session.remove(name)
      },
    }
    const plan = await planDestinationRetention(recording, 'nas', { retentionDays: 7, minBackups: 1 }, NOW)
    expect(plan.ignored.map((i) => i.name).sort()).toEqual(
      [
        '.meta.json',
        'broken.sql.zst.meta.json',
        'liar.sql.zst.meta.json',
        'sfdb.sql.gz.meta.json',
        'theirs.sql.gz.meta.json',
      ].sort(),
    )
    expect(plan.ignored.find((i) => i.name === 'liar.sql.zst.meta.json')?.reason).toContain('notes.txt')
    const result = await applyDestinationRetention(recording, plan)
    expect(removed).toEqual([greedy, `${greedy}.meta.json`, a, `${a}.gtid`, `${a}.meta.json`])
    expect(result.errors).toEqual([])
    expect(result.removed.map((r) => r.files)).toEqual([
      [greedy, `${greedy}.meta.json`],
      [a, `${a}.gtid`, `${a}.meta.json`],
    ])
    expect(result.bytes).toBe(plan.bytes)
    expect((await readdir(nas.path)).sort()).toEqual(
      [...foreign, b, `${b}.meta.json`, c, `${c}.meta.json`].sort(),
    )
  })

  it('a set removed halfway (its dump gone) is still recognised and finished; it never counts as kept', async () => {
    const half = await set('shop_half', daysAgo(3), { companions: ['users'] })
    await rm(join(nas.path, half))
    await set('shop_old', daysAgo(30))
    const plan = await planDestinationRetention(session, 'nas', { retentionDays: 1, minBackups: 1 }, NOW)
    // shop_old is the newest set with its dump: it stays although older; the half set goes.
    expect(plan.keep.map((x) => x.set.dump)).toEqual(['shop_old.sql.zst'])
    expect(plan.remove.map((x) => x.set.dump)).toEqual([half])
    expect(plan.remove[0]?.set.dumpPresent).toBe(false)
    await applyDestinationRetention(session, plan)
    expect((await readdir(nas.path)).sort()).toEqual(['shop_old.sql.zst', 'shop_old.sql.zst.meta.json'])
  })

  it('a dump that cannot be removed keeps its companions and metadata', async () => {
    const a = await set('shop_a', daysAgo(30), { companions: ['gtid'] })
    await set('shop_b', daysAgo(1))
    const failing: DestinationSession = {
      ...session,
      remove: async (name) => {
        if (name === a) throw new Error('permission denied')
        await session.remove(name)
      },
    }
    const plan = await planDestinationRetention(failing, 'nas', { retentionDays: 7, minBackups: 1 }, NOW)
    const result = await applyDestinationRetention(failing, plan)
    expect(result.errors).toEqual([{ name: a, message: expect.stringContaining('permission denied') }])
    expect(result.removed).toEqual([])
    expect(await readdir(nas.path)).toEqual(expect.arrayContaining([a, `${a}.gtid`, `${a}.meta.json`]))
  })

  it('a set without a date in its metadata stays', async () => {
    await set('shop_undated', daysAgo(30), { meta: { backup_date: null, time: null } })
    await set('shop_new', daysAgo(1))
    const plan = await planDestinationRetention(session, 'nas', { retentionDays: 7, minBackups: 1 }, NOW)
    expect(plan.remove).toEqual([])
    expect(plan.keep.find((x) => x.set.dump === 'shop_undated.sql.zst')?.reason).toContain('no backup date')
  })

  it('pruneDestination plans (dry run) or applies; retentionAfterCopies logs and never throws', async () => {
    const a = await set('shop_a', daysAgo(30))
    await set('shop_b', daysAgo(20))
    await set('shop_c', daysAgo(1))
    const dry = await pruneDestination({ destination: nas }, noHostKeys, { apply: false, now: NOW })
    expect(dry.result).toBeNull()
    expect(dry.plan.remove.map((x) => x.set.dump)).toEqual([a])
    expect(await readdir(nas.path)).toContain(a)
    const logs: string[] = []
    const result = await retentionAfterCopies(
      { destination: nas },
      noHostKeys,
      (level, m) => logs.push(`${level}: ${m}`),
      NOW,
    )
    expect(result?.removed.map((r) => r.dump)).toEqual([a])
    expect(logs).toEqual([
      expect.stringMatching(/^info: retention on nas: removed shop_a\.sql\.zst \(2 files; older than 7 days/),
    ])
    expect(await readdir(nas.path)).not.toContain(a)
    // A destination that cannot be read: a warning, no throw.
    const gone: FolderDestination = { ...nas, path: join(dir, 'missing') }
    const warned: string[] = []
    expect(
      await retentionAfterCopies({ destination: gone }, noHostKeys, (l, m) => warned.push(`${l}: ${m}`)),
    ).toBeNull()
    expect(warned).toEqual([
      expect.stringMatching(/^warn: retention on nas failed: cannot read the destination nas/),
    ])
    // No retention configured: nothing done.
    const { retention: _none, ...plain } = nas
    expect(await retentionAfterCopies({ destination: plain }, noHostKeys, () => {})).toBeNull()
  })
})
