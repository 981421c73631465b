/**
 * What the handlers need from the host, injected: Electron in the app (electron/main/index.ts), plain Node
 * in the e2e tests and the CLI. Handlers never import electron themselves.
 */
import type { Keychain } from '../../../engine/secrets/keychain.ts'
import type { JobSupervisorApi } from '../../jobs/types.ts'

export interface Platform {
  /** Product name, e.g. "sfDBTools Desktop". */
  appName(): string
  /** The app's version (package.json "version"). */
  appVersion(): string
  /** process.platform of the host. */
  osPlatform(): string
  /** The config folder: profiles, settings, known_hosts, default output and logs live under it. */
  configDir(): string
  /** The environment the key lookup reads (SFDB_PROFILE_KEY, SFDB_BACKUP_ENCRYPTION_KEY, …). */
  env(): Readonly<Record<string, string | undefined>>
  /** The OS keychain (Secret Service on Linux, asked for explicitly). */
  keychain(): Keychain
  /** Runs backup jobs in their own processes. */
  jobs(): JobSupervisorApi
  /** Shows a file in the OS file manager (shell.showItemInFolder in Electron). */
  showInFolder(path: string): Promise<void>
  /** The OS file or folder chooser (dialog.showOpenDialog in Electron); null when cancelled. */
  pickPath(options: { kind: 'file' | 'folder'; title: string; defaultPath?: string }): Promise<string | null>
  /** The OS "save as" chooser (dialog.showSaveDialog in Electron); null when cancelled. */
  pickSavePath(options: { title: string; defaultPath: string }): Promise<string | null>
}
