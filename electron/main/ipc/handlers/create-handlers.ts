/** The handler map of the whole IPC contract, over one injected platform. */
import type { IpcHandlers } from '../dispatch.ts'
import { appHandlers } from './app.ts'
import { backupHandlers } from './backups.ts'
import { destinationHandlers } from './destinations.ts'
import { historyHandlers } from './history.ts'
import { jobHandlers } from './jobs.ts'
import { keyHandlers } from './keys.ts'
import { notifyHandlers } from './notify.ts'
import type { Platform } from './platform.ts'
import { profileHandlers } from './profiles.ts'
import { restoreHandlers } from './restore.ts'
import { scheduleHandlers } from './schedules.ts'
import { serverHandlers } from './servers.ts'
import { createServices, type Services } from './services.ts'
import { settingsHandlers } from './settings.ts'

/**
 * Builds one handler per contract channel (a missing channel is a compile error), over the given services
 * (the app passes its own, to subscribe to them: the tray hears of saved settings) or new ones.
 */
export function createHandlers(
  platform: Platform,
  services: Services = createServices(platform),
): IpcHandlers {
  return {
    ...appHandlers(platform, services),
    ...profileHandlers(services),
    ...keyHandlers(services),
    ...serverHandlers(services),
    ...backupHandlers(services),
    ...historyHandlers(services),
    ...jobHandlers(services),
    ...restoreHandlers(services),
    ...settingsHandlers(services),
    ...destinationHandlers(services),
    ...notifyHandlers(services),
    ...scheduleHandlers(services),
  }
}
