/**
 * History's last verification and Settings' retention preview through the real handlers, on real backup
 * files: a verify job in its own process records its outcome in the config folder, which the history list
 * and details show — also after a restart of the handlers; the preview lists what a policy would remove
 * with the real cleanup's engine in its dry run, and removes nothing.
 */
import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../../shared/ipc.ts'
import { writeBackup } from '../../harness/backup-files.ts'
import { useHandlerSession } from './handler-session.ts'

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  )

describe('last verified (History) and the retention preview (Settings), real files and real handlers', () => {
  const s = useHandlerSession()
  const out = (): string => join(s.configDir, 'backup')

  const entryOf = async (file: string): Promise<HistoryEntry> => {
    const { entries } = await s.value('history:list', {})
    const found = entries.find((e) => e.backupFile === file)
    if (found === undefined) throw new Error(`${file} is not in the history`)
    return found
  }

  const verify = async (file: string): Promise<void> => {
    const { jobId } = await s.value('history:verify', { file })
    // Settles once the job ended and its outcome is on disk (null: it ended already, and was recorded).
    await s.jobs.whenVerified(jobId)
  }

  it('a backup never verified says so; a verify that passes, then one that fails, is each the last one, across a restart', async () => {
    const good = await writeBackup(out(), 'shop', 1, 'good')
    const bad = await writeBackup(out(), 'crm', 1, 'bad')
    expect((await entryOf(good)).lastVerified).toBeNull()

    await verify(good)
    const passed = (await entryOf(good)).lastVerified
    expect(passed).toMatchObject({ ok: true, error: null })
    expect(Date.now() - new Date(passed?.at ?? 0).getTime()).toBeLessThan(120_000)
    expect((await entryOf(bad)).lastVerified).toBeNull()

    // The file changes after its metadata was written: its sha256 no longer matches.
    const text = await readFile(bad, 'utf8')
    await writeFile(bad, text.replace('(1),(2),(3)', '(1),(2),(4)'))
    await verify(bad)
    const failed = (await entryOf(bad)).lastVerified
    expect(failed?.ok).toBe(false)
    expect(failed?.error?.code).toBe('ChecksumMismatch')

    // The good file breaks too and is verified again: its last verification is now the failed one.
    await writeFile(good, (await readFile(good, 'utf8')).replace('INSERT', 'insert'))
    await verify(good)
    expect((await entryOf(good)).lastVerified).toMatchObject({ ok: false })

    // A new handler map (as after a restart of the app) reads the same records from the config folder.
    s.restart()
    expect((await entryOf(bad)).lastVerified).toMatchObject({
      ok: false,
      error: { code: 'ChecksumMismatch' },
    })
    const details = await s.value('history:details', { metaPath: `${bad}.meta.json` })
    expect(details.entry.lastVerified).toMatchObject({ ok: false })
    const records = await readFile(join(s.configDir, 'jobs', 'verifications.jsonl'), 'utf8')
    expect(records.trim().split('\n')).toHaveLength(3)
  })

  it('the retention preview lists the files a policy would remove, removes nothing, and follows the policy', async () => {
    const dir = join(s.tmp, 'retention')
    const old1 = await writeBackup(dir, 'sales', 60, 'old1')
    const old2 = await writeBackup(dir, 'sales', 45, 'old2')
    const recent = await writeBackup(dir, 'sales', 2, 'recent')
    const lone = await writeBackup(dir, 'hr', 90, 'lone')

    const preview = await s.value('settings:retention-preview', {
      outputDir: dir,
      retentionDays: 30,
      minBackups: 1,
    })
    expect(preview.folder).toBe(dir)
    // The newest successful backup of each database stays (hr's only one too, however old).
    expect(preview.backups.map((b) => b.backupFile)).toEqual([old1, old2])
    expect(preview.files).toBe(4)
    expect(preview.backups[0]?.files.map((f) => f.path)).toEqual([old1, `${old1}.meta.json`])
    expect(preview.bytesFreed).toBeGreaterThan(0)
    expect(preview.kept).toBe(2)
    for (const path of [old1, old2, recent, lone, `${old1}.meta.json`]) expect(await exists(path)).toBe(true)

    // Keep three of each: nothing goes. Fewer days: the recent one goes too (one kept as the minimum).
    expect(
      (await s.value('settings:retention-preview', { outputDir: dir, retentionDays: 30, minBackups: 3 }))
        .files,
    ).toBe(0)
    const strict = await s.value('settings:retention-preview', {
      outputDir: dir,
      retentionDays: 1,
      minBackups: 0,
    })
    expect(strict.backups.map((b) => b.backupFile)).toEqual([lone, old1, old2, recent])
    for (const path of [old1, old2, recent, lone]) expect(await exists(path)).toBe(true)

    // A policy outside the contract is refused before any file is looked at.
    expect(
      (await s.failure('settings:retention-preview', { outputDir: dir, retentionDays: -1, minBackups: 0 }))
        .code,
    ).toBe('InvalidInput')
  })
})
