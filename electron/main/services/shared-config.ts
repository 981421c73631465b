/**
 * The command line's config file in the app. `sfDBTools_config.yaml` is found as the CLI finds it and read
 * again for every plan (a small file; an edit applies to the next run without a restart). The app applies
 * the keys that shape a run and have no control in its own Settings: the dump's lock-wait timeout, the
 * dated sub-folder, the file modes, extra dump arguments, the profile and log folders, the restore client.
 * A broken file refuses the run with the CLI's own InvalidConfig error: never accepted and ignored.
 */
import type { SharedConfigView } from '../../../shared/ipc.ts'
import { runLogDir } from '../../engine/backup/backup-run-log.ts'
import { loadAppConfig, type Env } from '../../engine/config/app-config.ts'
import { backupFileMode, CONFIG_DEFAULTS, withDefaults } from '../../engine/config/config-defaults.ts'
import { profileDir } from '../../engine/profiles/index.ts'

export interface SharedConfigService {
  /** Reads the file now. @throws EngineError InvalidConfig naming the file (and line:column). */
  load(): Promise<SharedConfigView>
}

export function createSharedConfigService(deps: {
  env: () => Env
  configDir: () => string
  platform?: NodeJS.Platform
}): SharedConfigService {
  return {
    async load() {
      const configDir = deps.configDir()
      const loaded = await loadAppConfig(deps.env(), configDir, deps.platform)
      const effective = withDefaults(loaded.config)
      const backup = loaded.config.backup
      return {
        path: loaded.path,
        found: loaded.found,
        lockWaitTimeoutSeconds: backup.lockWaitTimeout ?? CONFIG_DEFAULTS.lockWaitTimeout,
        subFolderPattern: effective.structurePattern ? effective.structurePattern : null,
        fileMode: backupFileMode(effective.filePermissions),
        metadataMode: backupFileMode(effective.metadataPermissions),
        extraDumpArgs: effective.extraDumpArgs,
        primaryPrefix: effective.primaryPrefix,
        profileDir: effective.profileDir ?? profileDir(configDir),
        logDir: runLogDir(effective.logDir, configDir),
        clientBinary: loaded.config.clientBinary ?? null,
        warnings: loaded.warnings,
      }
    },
  }
}
