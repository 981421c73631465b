/**
 * The verify job's own work, in-process: the same report as the engine's verifyBackup, progress from 0 to
 * the whole file with rate and ETA, keys tried in order, and an abort that stops the reading.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { VerifyProgress } from '../../../shared/job-protocol.ts'
import { verifyBackup } from '../../../electron/engine/backup/verify.ts'
import { createProgressMeter, runVerify, toVerifyView } from '../../../electron/jobs/verify-run.ts'
import { writeBackupFile } from './backup-files.ts'

const KEY = 'verify-run key'

describe('progress meter', () => {
  it('fraction, average rate and time left; at most one update per interval, and always the last', () => {
    let now = 1000
    const meter = createProgressMeter(1000, () => now, 200)
    expect(meter.update(0)).toEqual({
      bytesRead: 0,
      totalBytes: 1000,
      fraction: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      elapsedMs: 0,
    })
    now += 100
    expect(meter.update(100)).toBeNull()
    now += 150
    expect(meter.update(250)).toEqual({
      bytesRead: 250,
      totalBytes: 1000,
      fraction: 0.25,
      bytesPerSecond: 1000,
      etaSeconds: 0.75,
      elapsedMs: 250,
    })
    now += 10
    expect(meter.update(1000)).toMatchObject({ fraction: 1, etaSeconds: 0 })
    expect(createProgressMeter(0, () => now).now(0)).toMatchObject({ fraction: null, etaSeconds: 0 })
  })
})

describe('runVerify', () => {
  let dir: string
  let encrypted: string
  let plain: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-verify-run-'))
    encrypted = join(dir, 'shop.sql.gz.enc')
    plain = join(dir, 'shop.sql')
    await writeBackupFile(encrypted, { sqlBytes: 4 << 20, compression: 'gzip', key: KEY })
    await writeBackupFile(plain, { sqlBytes: 8 << 20 })
  })

  it('gives the engine’s report, trying the keys in order; progress ends at the whole file', async () => {
    const progress: VerifyProgress[] = []
    const view = await runVerify(
      { file: encrypted, keys: ['not the key', KEY] },
      { signal: new AbortController().signal, onProgress: (p) => progress.push(p) },
    )
    expect(view).toEqual(toVerifyView(await verifyBackup(encrypted, KEY)))
    expect(view).toMatchObject({
      ok: true,
      checks: { container: 'ok', compression: 'ok', trailer: 'ok', checksum: 'ok' },
    })
    // The wrong key's read starts at 0 and stops early; the right key's runs to the end.
    const starts = progress.filter((p) => p.bytesRead === 0)
    expect(starts).toHaveLength(2)
    expect(progress.at(-1)).toMatchObject({ bytesRead: view.bytes, totalBytes: view.bytes, fraction: 1 })
  })

  it('the last key refused stands as WrongKey', async () => {
    const view = await runVerify(
      { file: encrypted, keys: ['wrong one', 'wrong two'] },
      { signal: new AbortController().signal, onProgress: () => {} },
    )
    expect(view).toMatchObject({ ok: false, checks: { container: 'failed' }, error: { code: 'WrongKey' } })
  })

  it('a plain file needs no key', async () => {
    const view = await runVerify(
      { file: plain, keys: [] },
      { signal: new AbortController().signal, onProgress: () => {} },
    )
    expect(view).toEqual(toVerifyView(await verifyBackup(plain, null)))
    expect(view.ok).toBe(true)
  })

  it('an abort stops the reading before the end', async () => {
    const controller = new AbortController()
    const seen: VerifyProgress[] = []
    const view = await runVerify(
      { file: plain, keys: [] },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p)
          // Stopped as soon as the first bytes were read: deterministic, whatever the disk's speed.
          if (p.bytesRead > 0) controller.abort()
        },
        clock: (() => {
          let t = 0
          return () => (t += 1000)
        })(),
      },
    )
    expect(view.ok).toBe(false)
    expect(view.error).not.toBeNull()
    expect(Math.max(...seen.map((p) => p.bytesRead))).toBeLessThan(seen[0]?.totalBytes ?? 0)
  })
})
