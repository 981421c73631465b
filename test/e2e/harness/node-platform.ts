/** The handlers' platform on plain Node: what electron/main/index.ts builds from Electron's APIs. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { osKeychain } from '../../../electron/engine/secrets/keychain.ts'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import type { JobSupervisorApi } from '../../../electron/main/jobs/types.ts'
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

export interface NodePlatformOptions {
  /** The session's own config folder (profiles, settings, known_hosts, default output). */
  configDir: string
  /** Runs the backup jobs (in tests: the real supervisor over forked job processes, test/harness/app-jobs.ts). */
  jobs: JobSupervisorApi
  /** The environment the key lookup sees; empty by default, so no key of the developer's shell leaks in. */
  env?: Record<string, string | undefined>
}

/** A Platform that records instead of opening a file manager, and answers the file chooser from a queue. */
export interface NodePlatform extends Platform {
  /** Every path handed to showInFolder, in order. */
  shownInFolder: string[]
  /** What the next file/folder chooser answers (the user's pick; null = cancelled), first in first out. */
  pickAnswers: (string | null)[]
  /** Every chooser that was opened, in order. */
  pickRequests: { kind: 'file' | 'folder'; title: string; defaultPath?: string }[]
}

/**
 * A Platform answering like the packaged app would (name and version from package.json, the real OS
 * keychain), over a sandbox config folder. `overrides` replace single members.
 */
export function createNodePlatform(
  options: NodePlatformOptions,
  overrides: Partial<Platform> = {},
): NodePlatform {
  const pkg = readPackageJson()
  const keychain = osKeychain()
  const env = options.env ?? {}
  const shownInFolder: string[] = []
  const pickAnswers: (string | null)[] = []
  const pickRequests: NodePlatform['pickRequests'] = []
  return {
    // app.getName() prefers productName, as here.
    appName: () => pkg.productName ?? pkg.name,
    appVersion: () => pkg.version,
    osPlatform: () => process.platform,
    configDir: () => options.configDir,
    env: () => env,
    keychain: () => keychain,
    jobs: () => options.jobs,
    showInFolder: async (path) => {
      shownInFolder.push(path)
    },
    shownInFolder,
    // A chooser nobody prepared an answer for is cancelled, as when the user closes it.
    pickPath: async (request) => {
      pickRequests.push(request)
      return pickAnswers.shift() ?? null
    },
    // "Save as" answers from the same queue.
    pickSavePath: async ({ title, defaultPath }) => {
      pickRequests.push({ kind: 'file', title, defaultPath })
      return pickAnswers.shift() ?? null
    },
    pickAnswers,
    pickRequests,
    ...overrides,
  }
}
