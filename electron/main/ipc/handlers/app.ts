/** Handlers of the app domain: facts about the running app. */
import type { AppInfo } from '../../../../shared/ipc.ts'
import { ok } from '../../../../shared/result.ts'
import type { Result } from '../../../../shared/result.ts'
import type { Platform } from './platform.ts'

/** 'app:info': name, version and OS platform of the running app. */
export function appInfo(platform: Platform): Result<AppInfo> {
  return ok({ name: platform.appName(), version: platform.appVersion(), platform: platform.osPlatform() })
}
