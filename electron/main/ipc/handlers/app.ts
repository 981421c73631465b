/** Handlers of the app domain: facts about the running app, its folders and the dump binary. */
import type { AppInfo } from '../../../../shared/ipc.ts'
import { ok } from '../../../../shared/result.ts'
import type { Result } from '../../../../shared/result.ts'
import { runtimeVersions } from '../../../../shared/versions.ts'
import { detectPrograms } from '../../../engine/dump/detect-programs.ts'
import { findDumpBinary } from '../../../engine/dump/dump-binary.ts'
import { profileDir } from '../../../engine/profiles/index.ts'
import { logDir } from '../../logging/logger.ts'
import { defaultOutputDir } from '../../services/settings-store.ts'
import type { Platform } from './platform.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

/**
 * 'app:info': name, version and OS platform of the running app, the main process's Node, Electron and
 * Chromium versions, and the dump binary and SQL client a backup or restore would find on PATH.
 */
export async function appInfo(platform: Platform): Promise<Result<AppInfo>> {
  return ok({
    name: platform.appName(),
    version: platform.appVersion(),
    platform: platform.osPlatform(),
    versions: runtimeVersions(process.versions),
    programs: await detectPrograms(),
  })
}

export function appHandlers(
  platform: Platform,
  services: Pick<Services, 'sharedConfig'>,
): DomainHandlers<'app'> {
  return {
    'app:info': () => appInfo(platform),
    'app:paths': async () => {
      const configDir = platform.configDir()
      // The shared config's profile folder; the default one when the file is broken (Settings shows why).
      const shared = await services.sharedConfig.load().catch(() => null)
      return ok({
        configDir,
        profileDir: shared?.profileDir ?? profileDir(configDir),
        defaultOutputDir: defaultOutputDir(configDir),
        logDir: logDir(configDir),
      })
    },
    // null: auto-detect (mariadb-dump, else mysqldump on PATH), as a backup with no configured binary.
    'app:detect-dump-binary': ({ path }) =>
      toResult(async () => {
        const { path: found, flavor, version, versionLine } = await findDumpBinary(path)
        return { path: found, flavor, version, versionLine }
      }),
    'app:shared-config': () => toResult(() => services.sharedConfig.load()),
    'app:pick-path': async ({ kind, title, defaultPath }) =>
      ok({ path: await platform.pickPath({ kind, title, ...(defaultPath ? { defaultPath } : {}) }) }),
  }
}
