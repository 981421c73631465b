/** The services behind the handlers, wired once over the platform, and the handler map type of a domain. */
import type { IpcChannel } from '../../../../shared/ipc.ts'
import { createBackupService, type BackupService } from '../../services/backup-service.ts'
import { createHistoryService, type HistoryService } from '../../services/history-service.ts'
import { createKeyService, type KeyService } from '../../services/key-service.ts'
import { createProfileService, type ProfileService } from '../../services/profile-service.ts'
import { createRestoreService, type RestoreService } from '../../services/restore-service.ts'
import { createDestinationService, type DestinationService } from '../../services/destination-service.ts'
import { createNotifyService, type NotifyService } from '../../services/notify-service.ts'
import { offsiteForRun } from '../../services/offsite-plan.ts'
import { createSettingsService, type SettingsService } from '../../services/settings-store.ts'
import { createSharedConfigService, type SharedConfigService } from '../../services/shared-config.ts'
import { lastVerifications } from '../../jobs/verify-records.ts'
import type { IpcHandlers } from '../dispatch.ts'
import type { Platform } from './platform.ts'

/** The handlers of one domain: every channel `<domain>:…` of the contract, no other. */
export type DomainHandlers<D extends string> = Pick<IpcHandlers, Extract<IpcChannel, `${D}:${string}`>>

export interface Services {
  platform: Platform
  keys: KeyService
  profiles: ProfileService
  settings: SettingsService
  sharedConfig: SharedConfigService
  backups: BackupService
  history: HistoryService
  restores: RestoreService
  destinations: DestinationService
  notify: NotifyService
}

/** Builds the services; nothing is read or started until a handler runs. */
export function createServices(platform: Platform): Services {
  const keys = createKeyService({ env: () => platform.env(), keychain: () => platform.keychain() })
  const sharedConfig = createSharedConfigService({
    env: () => platform.env(),
    configDir: () => platform.configDir(),
  })
  const profiles = createProfileService({
    configDir: () => platform.configDir(),
    env: () => platform.env(),
    keys,
    profileDir: async () => (await sharedConfig.load()).profileDir,
  })
  const settings = createSettingsService(() => platform.configDir())
  return {
    platform,
    keys,
    profiles,
    settings,
    sharedConfig,
    backups: createBackupService({
      profiles,
      keys,
      settings: settings.get,
      saveSettings: settings.update,
      jobs: () => platform.jobs(),
      sharedConfig: sharedConfig.load,
      configDir: () => platform.configDir(),
      offsite: (names) => offsiteForRun(names, platform),
    }),
    destinations: createDestinationService({
      configDir: () => platform.configDir(),
      keychain: () => platform.keychain(),
      env: () => platform.env(),
      settings,
    }),
    notify: createNotifyService({
      configDir: () => platform.configDir(),
      keychain: () => platform.keychain(),
      settings,
    }),
    restores: createRestoreService({
      profiles,
      keys,
      settings: settings.get,
      configDir: () => platform.configDir(),
      jobs: () => platform.jobs(),
      sharedConfig: sharedConfig.load,
      offsite: platform,
    }),
    history: createHistoryService({
      settings: settings.get,
      endpoints: profiles.endpoints,
      keys,
      showInFolder: (path) => platform.showInFolder(path),
      jobs: () => platform.jobs(),
      verifications: () => lastVerifications(platform.configDir()),
    }),
  }
}
