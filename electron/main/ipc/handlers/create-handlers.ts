/** The handler map of the whole IPC contract, over one injected platform. */
import type { IpcHandlers } from '../dispatch.ts'
import { appInfo } from './app.ts'
import type { Platform } from './platform.ts'

/** Builds one handler per contract channel (a missing channel is a compile error). */
export function createHandlers(platform: Platform): IpcHandlers {
  return {
    'app:info': () => appInfo(platform),
  }
}
