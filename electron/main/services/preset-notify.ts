/**
 * After a backup job of a quick-backup preset ends (a scheduled run, the tray, the dashboard): its
 * summary to the preset's notification channels (`preset.notify`: on a failure only, or after every run),
 * as `sfdbtools backup --notify` does (cli/notify-run.ts). A channel that fails is a warning in the app's
 * log and in the job's log — never a failed job: the job's result and files stay as they are.
 */
import type { BackupResult } from '../../../shared/backup-types.ts'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import type { LogLevel } from '../../../shared/job-protocol.ts'
import { EngineError, toEngineError } from '../../engine/errors.ts'
import { failedTarget } from '../../engine/backup/target-results.ts'
import type { JobOutcome } from '../../engine/jobs/supervise-job.ts'
import {
  defaultSenders,
  sendToChannels,
  type ChannelOutcome,
  type Senders,
} from '../../engine/notify/send.ts'
import { pickChannels, readChannels } from '../../engine/notify/store.ts'
import { renderSummary, shouldNotify } from '../../engine/notify/summary.ts'
import type { Keychain } from '../../engine/secrets/keychain.ts'
import type { JobJournal } from '../jobs/job-journal.ts'
import { jobLogPrefix } from '../jobs/job-log.ts'
import type { JobFinishedInfo } from '../jobs/supervisor.ts'
import type { Logger } from '../logging/logger.ts'
import { readQuickBackupPresets } from '../tray/presets.ts'

export interface PresetNotifyDeps {
  configDir(): string
  keychain(): Keychain
  /** The presets as saved now. */
  presets(): Promise<QuickBackupPreset[]>
  /** How messages go out (the real e-mail and webhook senders by default). */
  senders?: Senders
  /** A line of the finished job's log (the app's log and the job history's): who heard, who failed. */
  jobLog(jobId: string, level: LogLevel, message: string): void | Promise<void>
}

export interface PresetNotifier {
  /**
   * Sends the job's summary to its preset's channels when due; resolves with each channel's outcome (none
   * when the job ran no preset, the preset names no channel, or the run is not one to announce). Never
   * rejects.
   */
  jobFinished(
    jobId: string,
    outcome: JobOutcome,
    info: Pick<JobFinishedInfo, 'presetId' | 'profile' | 'mode' | 'ticket' | 'startedAt' | 'finishedAt'>,
  ): Promise<ChannelOutcome[]>
  /** Settles when every notification under way has been sent (or failed). */
  idle(): Promise<void>
}

/** The run's result, also for a job that failed as a whole (no file: one failed entry with its error). */
export function resultOfOutcome(
  outcome: JobOutcome,
  info: Pick<JobFinishedInfo, 'mode' | 'ticket' | 'startedAt' | 'finishedAt'>,
): BackupResult {
  if (outcome.kind !== 'failed') return outcome.result
  const durationMs = Math.max(0, Date.parse(info.finishedAt) - Date.parse(info.startedAt)) || 0
  return {
    ok: false,
    mode: info.mode,
    ticket: info.ticket,
    startedAt: info.startedAt,
    finishedAt: info.finishedAt,
    durationMs,
    targets: [{ ...failedTarget([], outcome.error), durationMs }],
  }
}

export function createPresetNotifier(deps: PresetNotifyDeps): PresetNotifier {
  const pending = new Set<Promise<unknown>>()

  async function send(
    jobId: string,
    outcome: JobOutcome,
    info: Parameters<PresetNotifier['jobFinished']>[2],
  ): Promise<ChannelOutcome[]> {
    if (info.presetId === undefined) return []
    const preset = (await deps.presets()).find((p) => p.id === info.presetId)
    const request = preset?.notify
    if (preset === undefined || request === undefined || request.channels.length === 0) return []
    const summary = renderSummary(resultOfOutcome(outcome, info), {
      profile: info.profile,
      preset: preset.label,
    })
    if (!shouldNotify(request.on, summary.status)) return []
    let outcomes: ChannelOutcome[]
    try {
      const channels = pickChannels(await readChannels(deps.configDir()), request.channels)
      outcomes = await sendToChannels(channels, summary, deps.keychain(), deps.senders ?? defaultSenders())
    } catch (e) {
      const error = toEngineError(e)
      outcomes = request.channels.map((channel) => ({ channel, ok: false, error }))
    }
    for (const o of outcomes) {
      if (o.ok) await deps.jobLog(jobId, 'info', `notification '${o.channel}' sent (${summary.status})`)
      else
        await deps.jobLog(
          jobId,
          'warn',
          `${o.error?.message ?? `notification '${o.channel}' was not sent`} (${o.error?.code ?? 'NotifyFailed'})`,
        )
    }
    return outcomes
  }

  return {
    jobFinished(jobId, outcome, info) {
      const run = send(jobId, outcome, info).catch(async (e: unknown) => {
        // A bug here must not become an unhandled rejection of the main process.
        const error = e instanceof EngineError ? e : toEngineError(e)
        await Promise.resolve(
          deps.jobLog(jobId, 'warn', `notifications of the preset were not sent: ${error.message}`),
        ).catch(() => {})
        return []
      })
      pending.add(run)
      void run.finally(() => pending.delete(run))
      return run
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}

/**
 * The notifier as the app wires it (electron/main/index.ts, and the tests' real supervisor): the presets
 * from the settings file, each line to the app's log (prefixed like the job's own) and to the job's log in
 * the job history.
 */
export function appPresetNotifier(options: {
  configDir: string
  keychain: Keychain
  journal?: Pick<JobJournal, 'note'>
  log?: Logger
  senders?: Senders
}): PresetNotifier {
  return createPresetNotifier({
    configDir: () => options.configDir,
    keychain: () => options.keychain,
    presets: () => readQuickBackupPresets(options.configDir),
    ...(options.senders ? { senders: options.senders } : {}),
    async jobLog(jobId, level, message) {
      options.log?.log(level, `${jobLogPrefix(jobId, undefined)} ${message}`)
      await options.journal?.note?.(jobId, level, message)
    },
  })
}
