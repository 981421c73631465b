/**
 * What the handlers need from the host, injected: Electron in the app (electron/main/index.ts), plain Node
 * in the e2e tests and the CLI. Handlers never import electron themselves.
 */
export interface Platform {
  /** Product name, e.g. "sfDBTools Desktop". */
  appName(): string
  /** The app's version (package.json "version"). */
  appVersion(): string
  /** process.platform of the host. */
  osPlatform(): string
}
