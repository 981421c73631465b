/**
 * Which image file shows each tray state (resources/tray/, copied to process.resourcesPath/tray when
 * packaged). Electron picks the `@2x` file next to it on high-DPI screens by itself.
 */
import { join } from 'node:path'
import type { TrayIconName } from './tray-model.ts'

const COLOUR: Record<TrayIconName, string> = {
  idle: 'tray.png',
  running: 'tray-busy.png',
  failed: 'tray-failed.png',
}
/** macOS menu bar: template images (black + alpha) that the system tints for light and dark bars. */
const TEMPLATE: Record<TrayIconName, string> = {
  idle: 'trayTemplate.png',
  running: 'trayBusyTemplate.png',
  failed: 'trayFailedTemplate.png',
}

export function trayIconPath(dir: string, icon: TrayIconName, platform: string): string {
  return join(dir, (platform === 'darwin' ? TEMPLATE : COLOUR)[icon])
}
