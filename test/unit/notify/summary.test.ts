import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../../shared/backup-types.ts'
import { channelSchema, presetNotifySchema } from '../../../shared/notify.ts'
import { presetSchema } from '../../../shared/ipc.ts'
import {
  renderSummary,
  runStatus,
  shouldNotify,
  webhookBody,
} from '../../../electron/engine/notify/summary.ts'

const target = (over: Partial<BackupResult['targets'][number]>): BackupResult['targets'][number] => ({
  databases: ['shop'],
  status: 'success',
  file: '/backups/shop.sql.zst.enc',
  bytes: 2048,
  sqlBytes: 10_240,
  sha256: 'ab'.repeat(32),
  durationMs: 1500,
  warnings: [],
  error: null,
  ...over,
})

const result = (targets: BackupResult['targets'], ok = true): BackupResult => ({
  ok,
  mode: 'filter',
  ticket: 'CHG-1',
  startedAt: '2026-01-01T02:00:00.000Z',
  finishedAt: '2026-01-01T02:00:03.000Z',
  durationMs: 3000,
  targets,
})

const partial = result(
  [
    target({ warnings: ['a view was skipped'], status: 'success_with_warnings' }),
    target({
      databases: ['crm'],
      status: 'failed',
      file: null,
      bytes: 0,
      error: { code: 'DumpFailed', message: 'mariadb-dump exited 2', detail: 'stderr tail' },
    }),
  ],
  false,
)

describe('renderSummary', () => {
  it('says the status, files, sizes, durations, warnings and errors', () => {
    const s = renderSummary(partial, { profile: 'prod', host: 'db1' })
    expect(s.status).toBe('partial')
    expect(s.subject).toBe('[sfDBTools] Backup partly failed: prod (db1)')
    expect(s.text).toContain('1 file written, 2.0 KiB')
    expect(s.text).toContain('1 file failed')
    expect(s.text).toContain('/backups/shop.sql.zst.enc')
    expect(s.text).toContain('crm: DumpFailed: mariadb-dump exited 2')
    expect(s.text).toContain('shop: a view was skipped')
    expect(s.text).toContain('Ticket: CHG-1')
    expect(s.text).not.toContain('stderr tail')
  })

  it('builds the JSON, Slack and Teams payloads', () => {
    const s = renderSummary(partial, { profile: 'prod', preset: 'Nightly' })
    const json = webhookBody(s, 'json')
    expect(json).toMatchObject({
      event: 'backup.finished',
      status: 'partial',
      ok: false,
      profile: 'prod',
      preset: 'Nightly',
      totals: { files: 1, targets: 2, bytes: 2048, failed: 1 },
    })
    expect((json.files as unknown[])[1]).toMatchObject({ error: { code: 'DumpFailed' }, file: null })
    const slack = webhookBody(s, 'slack') as { text: string; blocks: { type: string }[] }
    expect(slack.text).toContain('partly failed')
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section'])
    const teams = webhookBody(s, 'teams') as Record<string, unknown>
    expect(teams['@type']).toBe('MessageCard')
    expect(teams.themeColor).toBe('E8912D')
    expect(JSON.stringify(teams)).toContain('Nightly')
  })

  it('statuses and when they are announced', () => {
    expect(runStatus(result([target({})]))).toBe('success')
    expect(runStatus(result([target({ status: 'failed', file: null })], false))).toBe('failed')
    expect(runStatus(result([target({ status: 'cancelled', file: null })], false))).toBe('cancelled')
    expect(shouldNotify('failure', 'success')).toBe(false)
    expect(shouldNotify('failure', 'partial')).toBe(true)
    expect(shouldNotify('always', 'success')).toBe(true)
    expect(shouldNotify('always', 'cancelled')).toBe(false)
  })
})

describe('channel schemas', () => {
  const mail = {
    kind: 'email',
    name: 'ops',
    host: 'smtp.example',
    port: 587,
    security: 'starttls',
    from: 'a@b.c',
    to: ['d@e.f'],
  }
  it('refuses plaintext SMTP and http webhooks off this machine, and a password field', () => {
    expect(channelSchema.safeParse(mail).success).toBe(true)
    expect(channelSchema.safeParse({ ...mail, security: 'none' }).success).toBe(false)
    expect(channelSchema.safeParse({ ...mail, security: 'none', host: 'localhost' }).success).toBe(true)
    expect(channelSchema.safeParse({ ...mail, password: 'x' }).success).toBe(false)
    const hook = { kind: 'webhook', name: 'chat', url: 'https://hooks.example/T/x', format: 'slack' }
    expect(channelSchema.safeParse(hook).success).toBe(true)
    expect(channelSchema.safeParse({ ...hook, url: 'http://hooks.example/x' }).success).toBe(false)
    expect(channelSchema.safeParse({ ...hook, url: 'http://127.0.0.1:8080/x' }).success).toBe(true)
  })
  it('a preset without notify still parses; with one it is checked', () => {
    expect(presetNotifySchema.safeParse({ channels: ['ops'], on: 'always' }).success).toBe(true)
    const shape = presetSchema.shape
    expect(shape.notify.safeParse(undefined).success).toBe(true)
    expect(shape.notify.safeParse({ channels: ['ops'], on: 'sometimes' }).success).toBe(false)
  })
})
