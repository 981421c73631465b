/**
 * The preset notifier of the main process (services/preset-notify.ts) with recording senders: who hears
 * of which run, what they hear, and that a channel that fails is a warning line — never a throw.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../../shared/backup-types.ts'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import type { NotifyChannel } from '../../../shared/notify.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import type { JobOutcome } from '../../../electron/engine/jobs/supervise-job.ts'
import type { Senders } from '../../../electron/engine/notify/send.ts'
import { writeChannels } from '../../../electron/engine/notify/store.ts'
import type { Keychain } from '../../../electron/engine/secrets/keychain.ts'
import { createPresetNotifier } from '../../../electron/main/services/preset-notify.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const info = {
  presetId: 'p1',
  profile: 'prod',
  mode: 'single' as const,
  ticket: 'CHG-9',
  startedAt: '2026-01-02T03:00:00.000Z',
  finishedAt: '2026-01-02T03:00:05.000Z',
}

const result = (status: 'success' | 'failed'): BackupResult => ({
  ok: status === 'success',
  mode: 'single',
  ticket: 'CHG-9',
  startedAt: info.startedAt,
  finishedAt: info.finishedAt,
  durationMs: 5000,
  targets: [
    {
      databases: ['shop'],
      status,
      file: status === 'success' ? '/b/shop.sql.zst' : null,
      bytes: 100,
      sqlBytes: 400,
      sha256: null,
      durationMs: 5000,
      warnings: [],
      error: status === 'success' ? null : { code: 'DumpFailed', message: 'the dump exited 2' },
    },
  ],
})

const noKeychain: Keychain = {
  get: async () => null,
  set: async () => {},
  delete: async () => false,
}

describe('preset notifications after a job', () => {
  let dir = ''
  let sent: { channel: string; body: Record<string, unknown> }[]
  let lines: { jobId: string; level: string; message: string }[]
  let failing: Set<string>
  const senders: Senders = {
    email: async () => {},
    webhook: async (channel, body) => {
      if (failing.has(channel.name))
        throw new EngineError('NotifyFailed', `notification '${channel.name}' was not sent: refused`)
      sent.push({ channel: channel.name, body })
    },
  }
  const channels: NotifyChannel[] = [
    { kind: 'webhook', name: 'chat', url: 'https://hooks.example/T/1', format: 'json' },
    { kind: 'webhook', name: 'pager', url: 'https://pager.example/x', format: 'json' },
  ]
  const notifier = (presets: QuickBackupPreset[]) =>
    createPresetNotifier({
      configDir: () => dir,
      keychain: () => noKeychain,
      presets: async () => presets,
      senders,
      jobLog: (jobId, level, message) => void lines.push({ jobId, level, message }),
    })
  const preset = (notify: QuickBackupPreset['notify']): QuickBackupPreset => ({
    id: 'p1',
    label: 'Nightly',
    request: backupRequest(),
    ...(notify ? { notify } : {}),
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-preset-notify-'))
    await writeChannels(dir, channels)
    sent = []
    lines = []
    failing = new Set()
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('sends a successful run to the channels of an "always" preset, naming the preset', async () => {
    const n = notifier([preset({ channels: ['chat', 'pager'], on: 'always' })])
    const outcomes = await n.jobFinished('job-1', { kind: 'done', result: result('success') }, info)
    expect(outcomes.map((o) => [o.channel, o.ok])).toEqual([
      ['chat', true],
      ['pager', true],
    ])
    expect(sent[0]?.body).toMatchObject({
      status: 'success',
      preset: 'Nightly',
      profile: 'prod',
      ticket: 'CHG-9',
    })
    expect(lines).toEqual([
      { jobId: 'job-1', level: 'info', message: "notification 'chat' sent (success)" },
      { jobId: 'job-1', level: 'info', message: "notification 'pager' sent (success)" },
    ])
  })

  it('"on failure" stays quiet after a success and speaks after a failed job, with its error', async () => {
    const n = notifier([preset({ channels: ['chat'], on: 'failure' })])
    expect(await n.jobFinished('job-2', { kind: 'done', result: result('success') }, info)).toEqual([])
    const failed: JobOutcome = {
      kind: 'failed',
      error: { code: 'ConnectFailed', message: 'no route to db1' },
    }
    await n.jobFinished('job-3', failed, info)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.body).toMatchObject({ status: 'failed', ok: false, totals: { failed: 1 } })
    expect(JSON.stringify(sent[0]?.body)).toContain('no route to db1')
  })

  it('a cancelled run and a job without a preset (or without channels) send nothing', async () => {
    const n = notifier([preset({ channels: ['chat'], on: 'always' }), { ...preset(undefined), id: 'p2' }])
    const cancelled: JobOutcome = { kind: 'cancelled', result: { ...result('success'), targets: [] } }
    cancelled.result.targets.push({ ...result('success').targets[0]!, status: 'cancelled', file: null })
    expect(await n.jobFinished('a', cancelled, info)).toEqual([])
    const { presetId: _none, ...manual } = info
    expect(await n.jobFinished('b', { kind: 'done', result: result('success') }, manual)).toEqual([])
    expect(
      await n.jobFinished('c', { kind: 'done', result: result('success') }, { ...info, presetId: 'p2' }),
    ).toEqual([])
    expect(sent).toEqual([])
  })

  it('a channel that fails is a warning line; the others are still sent; nothing throws', async () => {
    failing.add('chat')
    const n = notifier([preset({ channels: ['chat', 'pager'], on: 'always' })])
    const outcomes = await n.jobFinished('job-4', { kind: 'done', result: result('success') }, info)
    expect(outcomes.map((o) => o.ok)).toEqual([false, true])
    expect(lines).toContainEqual({
      jobId: 'job-4',
      level: 'warn',
      message: "notification 'chat' was not sent: refused (NotifyFailed)",
    })
    expect(sent.map((s) => s.channel)).toEqual(['pager'])
  })

  it('a channel the preset names that no longer exists is a warning per channel', async () => {
    const n = notifier([preset({ channels: ['gone'], on: 'always' })])
    const outcomes = await n.jobFinished('job-5', { kind: 'done', result: result('success') }, info)
    expect(outcomes).toMatchObject([{ channel: 'gone', ok: false, error: { code: 'InvalidInput' } }])
    expect(lines[0]).toMatchObject({
      level: 'warn',
      message: expect.stringContaining("no notification channel named 'gone'"),
    })
    await n.idle()
  })
})
