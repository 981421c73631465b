/**
 * The app's scheduling wired over its services (electron/main/index.ts passes Electron's pieces): the
 * scheduler over the backup service and the job supervisor, checked again when the settings are saved and
 * when the machine resumes from sleep, and the "start at login" setting applied at start and when it changes.
 */
import type { QuickBackupPreset, Settings } from '../../../shared/ipc.ts'
import { readPresets } from '../../engine/schedule/presets-file.ts'
import type { JobSupervisor } from '../jobs/supervisor.ts'
import type { BackupService } from '../services/backup-service.ts'
import type { SettingsService } from '../services/settings-store.ts'
import {
  createAppScheduler,
  startThroughSupervisor,
  supervisorJobEnd,
  type AppScheduler,
  type AppSchedulerDeps,
  type NextScheduledRun,
} from './app-scheduler.ts'
import { applyStartAtLogin, type LoginItemPlatform } from './login-item.ts'

export interface AppSchedulingOptions {
  configDir: string
  backups: Pick<BackupService, 'start'>
  settings: Pick<SettingsService, 'get' | 'subscribe'>
  jobs: Pick<JobSupervisor, 'whenFinished' | 'running'>
  log: { info(message: string): void; warn(message: string): void }
  /** Subscribes to the machine's resume from sleep (powerMonitor 'resume'). */
  onResume(listener: () => void): void
  /** Where "start at login" is applied; null where it is not (an app run from its sources). */
  loginItem: LoginItemPlatform | null
  onNextRun(next: NextScheduledRun | null): void
  onRunFailed(preset: QuickBackupPreset, message: string): void
  /** Tests: the scheduler's clock and the like. */
  scheduler?: Partial<AppSchedulerDeps>
}

export interface AppScheduling {
  scheduler: AppScheduler
  stop(): void
}

export function startAppScheduling(o: AppSchedulingOptions): AppScheduling {
  const scheduler = createAppScheduler({
    configDir: o.configDir,
    presets: () => readPresets(o.configDir, (m) => o.log.warn(`scheduler: ${m}`)),
    startJob: startThroughSupervisor(o.backups.start, supervisorJobEnd(o.jobs)),
    runningPresets: () => o.jobs.running().flatMap((j) => (j.presetId === undefined ? [] : [j.presetId])),
    log: o.log,
    onNextRun: o.onNextRun,
    onRunFailed: o.onRunFailed,
    ...o.scheduler,
  })
  let applied: boolean | null = null
  const applyLogin = (settings: Settings): Promise<void> => {
    const enabled = settings.startAtLogin
    if (o.loginItem === null || enabled === applied) return Promise.resolve()
    applied = enabled
    return applyStartAtLogin(enabled, o.loginItem).then(
      () => o.log.info(`start at login ${enabled ? 'on' : 'off'}`),
      (e: unknown) =>
        o.log.warn(`start at login could not be turned ${enabled ? 'on' : 'off'}: ${String(e)}`),
    )
  }
  const unsubscribe = o.settings.subscribe((saved) => {
    void scheduler.check()
    void applyLogin(saved)
  })
  o.settings.get().then(applyLogin, (e: unknown) => o.log.warn(`settings: ${String(e)}`))
  o.onResume(() => {
    o.log.info('scheduler: resumed from sleep, checking the schedules')
    void scheduler.check()
  })
  scheduler.start()
  return {
    scheduler,
    stop() {
      unsubscribe()
      scheduler.stop()
    },
  }
}
