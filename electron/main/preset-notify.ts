/**
 * The e-mail and webhook notifications of quick-backup presets in the app: when a backup job that ran a
 * preset ends, its summary goes to the preset's channels (`preset.notify`), on a failure or always. Thin on
 * purpose: the engine renders and sends (electron/engine/notify); a failure is logged as a warning and
 * never changes the job's outcome or its files.
 */
import type { BackupResult } from '../../shared/backup-types.ts'
import type { QuickBackupPreset } from '../../shared/ipc.ts'
import type { NotifyChannel } from '../../shared/notify.ts'
import { failedTarget } from '../engine/backup/target-results.ts'
import type { JobOutcome } from '../engine/jobs/supervise-job.ts'
import { sendToChannels, type ChannelOutcome, type Senders } from '../engine/notify/send.ts'
import { renderSummary, shouldNotify } from '../engine/notify/summary.ts'
import type { Keychain } from '../engine/secrets/keychain.ts'

export interface PresetNotifierOptions {
  readPresets(): Promise<QuickBackupPreset[]>
  readChannels(): Promise<NotifyChannel[]>
  keychain: Keychain
  senders: Senders
  warn(message: string): void
}

export interface FinishedJob {
  profile: string
  mode: BackupResult['mode']
  ticket: string
  startedAt: string
  finishedAt: string
}

export interface PresetNotifier {
  /** The job `jobId` runs the preset `presetId` (called when the job starts). */
  remember(jobId: string, presetId: string): void
  /** The job ended: sends the preset's channels when due; resolves with what each channel answered. */
  jobFinished(jobId: string, outcome: JobOutcome, info: FinishedJob): Promise<ChannelOutcome[]>
}

/** The job's result; a job that failed as a whole is one failed target. */
function resultOf(outcome: JobOutcome, info: FinishedJob): BackupResult | null {
  if (outcome.kind === 'done') return outcome.result
  if (outcome.kind === 'cancelled') return null
  return {
    ok: false,
    mode: info.mode,
    ticket: info.ticket,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt,
    durationMs: Date.parse(info.finishedAt) - Date.parse(info.startedAt) || 0,
    targets: [failedTarget([], outcome.error)],
  }
}

export function createPresetNotifier(options: PresetNotifierOptions): PresetNotifier {
  const presetOf = new Map<string, string>()
  return {
    remember: (jobId, presetId) => void presetOf.set(jobId, presetId),
    async jobFinished(jobId, outcome, info) {
      const presetId = presetOf.get(jobId)
      presetOf.delete(jobId)
      if (presetId === undefined) return []
      try {
        const preset = (await options.readPresets()).find((p) => p.id === presetId)
        const result = resultOf(outcome, info)
        if (preset?.notify === undefined || preset.notify.channels.length === 0 || result === null) return []
        const summary = renderSummary(result, { profile: info.profile, preset: preset.label })
        if (!shouldNotify(preset.notify.on, summary.status)) return []
        const all = await options.readChannels()
        const channels = preset.notify.channels.flatMap((name) => {
          const found = all.find((c) => c.name === name)
          if (found === undefined) options.warn(`preset '${preset.label}': no notification channel '${name}'`)
          return found === undefined ? [] : [found]
        })
        const outcomes = await sendToChannels(channels, summary, options.keychain, options.senders)
        for (const o of outcomes)
          if (!o.ok) options.warn(`preset '${preset.label}': ${o.error?.code}: ${o.error?.message}`)
        return outcomes
      } catch (e) {
        options.warn(`preset notifications of job ${jobId} failed: ${(e as Error).message}`)
        return []
      }
    },
  }
}
