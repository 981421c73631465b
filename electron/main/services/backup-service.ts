/**
 * New backups: the New-backup form's request becomes the engine's checked plan (the real dry-run, also
 * the pre-flight of a start), and a started plan goes to the job supervisor.
 */
import { isAbsolute, resolve } from 'node:path'
import type {
  BackupPlanView,
  BackupRequestInput,
  JobTrigger,
  ScheduledRunInfo,
  Settings,
  SharedConfigView,
} from '../../../shared/ipc.ts'
import { BackupRunLog } from '../../engine/backup/backup-run-log.ts'
import { planBackup, type PlannedBackup } from '../../engine/backup/plan-backup.ts'
import { toPlanView } from '../../engine/backup/plan-view.ts'
import { validateCompression } from '../../engine/codecs/index.ts'
import { backupFileMode } from '../../engine/config/config-defaults.ts'
import { EngineError, toEngineError } from '../../engine/errors.ts'
import { readJobJournal } from '../jobs/job-journal.ts'
import type { JobSupervisorApi } from '../jobs/types.ts'
import type { OffsitePlan, OffsiteSecrets } from '../../../shared/job-protocol.ts'
import { retryRequest } from './retry-request.ts'
import type { KeyService } from './key-service.ts'
import { APP_HOST_KEY_POLICY, type ProfileService } from './profile-service.ts'

export interface BackupServiceDeps {
  profiles: ProfileService
  keys: KeyService
  settings(): Promise<Settings>
  /** Saves the settings (used to remember an output folder chosen for one backup). */
  saveSettings(next: Settings): Promise<Settings>
  jobs(): JobSupervisorApi
  /** The command line's config file as the app applies it (shared-config.ts). */
  sharedConfig(): Promise<SharedConfigView>
  /** Where a run log that cannot be written is told (the app's log). */
  warn?(message: string): void
  /** The config folder: the job history (jobs/journal.jsonl) is read from it for a retry. */
  configDir(): string
  /** The offsite part of a run copying to these destinations, and their secrets (offsite-plan.ts). */
  offsite?(names: string[]): Promise<{ offsite: OffsitePlan; secrets: OffsiteSecrets } | null>
}

/** How a backup comes to run: its trigger, the job it retries, the preset it runs and its scheduled time. */
export interface BackupStartHow {
  trigger: JobTrigger
  retryOf?: string
  presetId?: string
  schedule?: ScheduledRunInfo
  /**
   * Told the job id as soon as the supervisor took the job, before start() settles: a caller that waits
   * for the job's end (the scheduler) asks the supervisor then, while the job surely still runs.
   */
  onStarted?(jobId: string): void
}

/** An optional text field of the form: trimmed, and absent when blank. */
const filled = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined

export function createBackupService(deps: BackupServiceDeps) {
  /** Profile → connection, backup key, settings and selection → the engine's plan (asks the server). */
  async function prepare(
    input: BackupRequestInput,
  ): Promise<{ planned: PlannedBackup; profile: string; shared: SharedConfigView }> {
    if (!isAbsolute(input.outputDir))
      throw new EngineError(
        'InvalidInput',
        `the output folder must be an absolute path, got '${input.outputDir}'`,
      )
    const settings = await deps.settings()
    const shared = await deps.sharedConfig()
    const { profile, connection } = await deps.profiles.open(input.profile)
    const encryptionKey = input.encrypt ? await deps.keys.requireBackupKey(profile.name) : null
    const planned = await planBackup({
      mode: input.mode,
      profileName: profile.name,
      connection,
      hostKeyPolicy: APP_HOST_KEY_POLICY,
      selection: {
        databases: input.databases,
        ...(input.filterMode ? { filterMode: input.filterMode } : {}),
        excludeDatabases: input.excludeDatabases,
        excludeSystem: input.excludeSystem,
        excludeEmpty: input.excludeEmpty,
        companions: input.companions,
        // No prefix in the request: the configured one; an empty one: every name.
        prefix: input.prefix === undefined ? shared.primaryPrefix : filled(input.prefix),
        clientCode: filled(input.clientCode),
        instance: filled(input.instance),
      },
      ticket: input.ticket,
      compression: validateCompression(input.compression.type, input.compression.level),
      encryptionKey,
      outputDir: input.outputDir,
      ...(shared.subFolderPattern !== null ? { subFolderPattern: shared.subFolderPattern } : {}),
      fileMode: backupFileMode(shared.fileMode),
      metadataMode: backupFileMode(shared.metadataMode),
      namePattern: input.namePattern,
      dumpBinary: settings.dumpBinary,
      extraDumpArgs: shared.extraDumpArgs,
      ...(input.dumpArgs && input.dumpArgs.length > 0 ? { runDumpArgs: input.dumpArgs } : {}),
      ...(input.tables ? { tableRules: input.tables } : {}),
      lockWaitTimeoutSeconds: shared.lockWaitTimeoutSeconds,
      excludeData: input.excludeData,
      excludeUser: input.excludeUser,
      captureGtid: input.captureGtid,
      parallel: input.parallel,
      cleanup: settings.retention.enabled
        ? { retentionDays: settings.retention.retentionDays, minBackups: settings.retention.minBackups }
        : null,
    })
    return { planned, profile: profile.name, shared }
  }

  /** The destinations a run copies to: its preset's, then the form's own. */
  const copyNames = async (input: BackupRequestInput, presetId: string | undefined): Promise<string[]> => {
    const preset =
      presetId === undefined ? undefined : (await deps.settings()).presets.find((p) => p.id === presetId)
    return [...new Set([...(preset?.copyTo ?? []), ...(input.copyTo ?? [])])]
  }

  /** A backup written to a folder of its own choosing still belongs in the history: remember the folder. */
  const rememberOutputFolder = async (dir: string): Promise<void> => {
    const settings = await deps.settings()
    const known = [settings.defaults.outputDir, ...settings.historyFolders].map((d) => resolve(d))
    if (known.includes(resolve(dir))) return
    await deps.saveSettings({ ...settings, historyFolders: [...settings.historyFolders, resolve(dir)] })
  }

  return {
    plan: async (input: BackupRequestInput): Promise<BackupPlanView> =>
      toPlanView((await prepare(input)).planned),

    /** Plans again (the plan is the pre-flight), then hands the plan to the supervisor. */
    start,

    /** Runs what a finished job did not write (its failed, cancelled or skipped files) as a new job. */
    async retry(jobId: string): Promise<{ jobId: string }> {
      const record = (await readJobJournal(deps.configDir())).find((r) => r.jobId === jobId)
      if (record === undefined)
        throw new EngineError('InvalidInput', `job ${jobId} is not in the job history (any more)`)
      return start(retryRequest(record), { trigger: 'retry', retryOf: jobId })
    },
  }

  async function start(
    input: BackupRequestInput,
    how: BackupStartHow = { trigger: 'manual' },
  ): Promise<{ jobId: string }> {
    const { planned, profile, shared } = await prepare(input)
    // A job without a dump binary could only fail: say so now, before anything starts.
    if ('error' in planned.dump) throw EngineError.from(planned.dump.error)
    // Offsite copies: the preset's destinations and the form's (secrets for the job process only).
    const copies = await deps.offsite?.(await copyNames(input, how.presetId))
    const plan = copies ? { ...planned.plan, offsite: copies.offsite } : planned.plan
    // The run's general log, as the CLI writes it (`<log dir>/backup/`).
    const runLog = await BackupRunLog.open(shared.logDir, deps.warn ?? console.warn)
    runLog.started(toPlanView(planned))
    let jobId: string
    try {
      jobId = deps.jobs().start(
        plan,
        {
          profile,
          files: planned.files.map((f) => f.path),
          runLog,
          request: input,
          trigger: how.trigger,
          ...(how.retryOf === undefined ? {} : { retryOf: how.retryOf }),
          ...(how.presetId === undefined ? {} : { presetId: how.presetId }),
          ...(how.schedule === undefined ? {} : { schedule: how.schedule }),
        },
        copies?.secrets,
      )
    } catch (e) {
      // Refused before it ran (another job writes one of its files): the log says so and is closed.
      runLog.failed(toEngineError(e).toAppError(), 1)
      throw e
    }
    how.onStarted?.(jobId)
    await rememberOutputFolder(planned.plan.outputDir)
    return { jobId }
  }
}

export type BackupService = ReturnType<typeof createBackupService>
