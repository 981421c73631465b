import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { EngineError, errno, toEngineError } from '../errors.ts'
import { emptyAppConfig, type AppConfig } from './app-config-schema.ts'
import { parseAppConfig } from './parse-app-config.ts'

export type Env = Readonly<Record<string, string | undefined>>

/** The app's config file in the config folder. */
export const CONFIG_FILE_NAME = 'sfDBTools_config.yaml'

/** What chose the config file: the user manual's variable, sfDBTools' variable, or the config folder. */
export type ConfigPathSource = 'SFDB_CONFIG_PATH' | 'SFDB_APPS_CONFIG' | 'config-dir'

export interface ConfigFileLocation {
  path: string
  source: ConfigPathSource
  /** An env var named the file itself: a missing file is then an error, not "use the defaults". */
  explicit: boolean
}

const YAML_NAME = /\.ya?ml$/i

/**
 * Where the config file is. `SFDB_CONFIG_PATH` naming a `.yaml`/`.yml` file wins, then sfDBTools'
 * `SFDB_APPS_CONFIG`, else `<configDir>/sfDBTools_config.yaml`. `SFDB_CONFIG_PATH` naming anything else
 * is the config folder itself (as configDir() reads it), so the file is looked for inside it.
 */
export function configFilePath(env: Env, configDir: string): ConfigFileLocation {
  const manual = env.SFDB_CONFIG_PATH
  if (manual && YAML_NAME.test(manual)) return { path: manual, source: 'SFDB_CONFIG_PATH', explicit: true }
  const real = env.SFDB_APPS_CONFIG
  if (real) return { path: real, source: 'SFDB_APPS_CONFIG', explicit: true }
  if (manual) return { path: join(manual, CONFIG_FILE_NAME), source: 'SFDB_CONFIG_PATH', explicit: false }
  return { path: join(configDir, CONFIG_FILE_NAME), source: 'config-dir', explicit: false }
}

export interface LoadedAppConfig {
  config: AppConfig
  path: string
  /** false: no file at the default place, `config` is empty and every default applies. */
  found: boolean
  warnings: string[]
}

/** Group/other may read a file that holds a key: say how to fix it (POSIX modes only). */
function keyFileWarning(path: string, mode: number, platform: NodeJS.Platform): string[] {
  if (platform === 'win32' || (mode & 0o077) === 0) return []
  const octal = (mode & 0o777).toString(8).padStart(4, '0')
  return [
    `config file ${path} holds backup.encryption.key but other users may read it (mode ${octal}): ` +
      `run chmod 600 ${path}`,
  ]
}

/**
 * Loads `sfDBTools_config.yaml` (see configFilePath). A missing file at the default place means the
 * defaults; a missing file named by an env var, unreadable YAML or a schema problem is an error.
 * @throws EngineError('InvalidConfig') naming the file (and the env var, or line:column / every problem);
 *   OS errors mapped by toEngineError.
 */
export async function loadAppConfig(
  env: Env,
  configDir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<LoadedAppConfig> {
  const location = configFilePath(env, configDir)
  const { path } = location
  let text: string
  let mode: number
  try {
    const file = await open(path, 'r')
    try {
      mode = (await file.stat()).mode
      text = await file.readFile('utf8')
    } finally {
      await file.close()
    }
  } catch (e) {
    const code = errno(e)
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (location.explicit) {
        throw new EngineError(
          'InvalidConfig',
          `config file ${path} named by ${location.source} does not exist: create it, or unset ${location.source}`,
          { cause: e },
        )
      }
      return { config: emptyAppConfig(), path, found: false, warnings: [] }
    }
    if (code === 'EISDIR')
      throw new EngineError('InvalidConfig', `config file ${path} is a folder, not a YAML file`, { cause: e })
    throw toEngineError(e, `reading config file ${path}`)
  }
  const { config, warnings } = parseAppConfig(text, path)
  if (config.backup.encryption.key !== undefined) warnings.push(...keyFileWarning(path, mode, platform))
  return { config, path, found: true, warnings }
}
