import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createVerifyRecorder,
  lastVerifications,
  verifyRecord,
} from '../../../electron/main/jobs/verify-records.ts'
import type { VerifyView } from '../../../shared/ipc.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

const report = (ok: boolean): VerifyView => ({
  ok,
  file: '/b/shop.sql',
  checks: {},
  bytes: 10,
  sqlBytes: 10,
  sha256: null,
  notes: [],
  error: ok ? null : { code: 'ChecksumMismatch', message: 'the sha256 differs' },
})

describe('verify records (History → Last verified)', () => {
  it('keeps a passed or failed verify, not a cancelled one', () => {
    const at = '2026-03-01T00:00:00.000Z'
    expect(verifyRecord('verify-1', '/b/shop.sql', { kind: 'done', report: report(true) }, at)).toMatchObject(
      {
        ok: true,
        error: null,
      },
    )
    expect(
      verifyRecord('verify-1', '/b/shop.sql', { kind: 'done', report: report(false) }, at),
    ).toMatchObject({
      ok: false,
      error: { code: 'ChecksumMismatch' },
    })
    const wrongKey = { code: 'WrongKey' as const, message: 'no key opens it' }
    expect(verifyRecord('verify-1', '/b/x', { kind: 'failed', error: wrongKey }, at)?.ok).toBe(false)
    expect(verifyRecord('verify-1', '/b/x', { kind: 'cancelled' }, at)).toBeNull()
    const cancelled = { code: 'Cancelled' as const, message: 'cancelled' }
    expect(verifyRecord('verify-1', '/b/x', { kind: 'failed', error: cancelled }, at)).toBeNull()
  })

  it('writes 0600 JSON lines in order; the last one of each file wins; a torn line is skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-verify-records-'))
    dirs.push(dir)
    const recorder = createVerifyRecorder(dir, (m) => {
      throw new Error(m)
    })
    await recorder.record(
      'verify-1',
      '/b/shop.sql',
      { kind: 'done', report: report(true) },
      '2026-03-01T00:00:00.000Z',
    )
    await recorder.record(
      'verify-2',
      '/b/shop.sql',
      { kind: 'done', report: report(false) },
      '2026-03-02T00:00:00.000Z',
    )
    await recorder.record('verify-3', '/b/crm.sql', { kind: 'cancelled' }, '2026-03-03T00:00:00.000Z')
    await recorder.record(
      'verify-4',
      '/b/hr.sql',
      { kind: 'done', report: report(true) },
      '2026-03-04T00:00:00.000Z',
    )
    const file = join(dir, 'jobs', 'verifications.jsonl')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'jobs'))).mode & 0o777).toBe(0o700)
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3)
    const { appendFile } = await import('node:fs/promises')
    await appendFile(file, '{"file":"/b/hr.sql","at":"2026-')
    const last = await lastVerifications(dir)
    expect(last.get('/b/shop.sql')).toMatchObject({ ok: false, at: '2026-03-02T00:00:00.000Z' })
    expect(last.get('/b/hr.sql')).toMatchObject({ ok: true })
    expect(last.has('/b/crm.sql')).toBe(false)
  })
})
