/** The handlers' platform on plain Node: what electron/main/index.ts builds from Electron's app API. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import { REPO_ROOT } from './paths.ts'

interface PackageJson {
  name: string
  productName?: string
  version: string
}

/** package.json of the app, as Electron's app.getName()/getVersion() read it. */
export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson
}

/** A Platform answering like the packaged app would (name and version from package.json). */
export function createNodePlatform(overrides: Partial<Platform> = {}): Platform {
  const pkg = readPackageJson()
  return {
    // app.getName() prefers productName, as here.
    appName: () => pkg.productName ?? pkg.name,
    appVersion: () => pkg.version,
    osPlatform: () => process.platform,
    ...overrides,
  }
}
