import { stat } from 'node:fs/promises'
import { EngineError } from '../errors.ts'

/**
 * `SFDB_CONFIG_PATH` naming an existing file that is not a `.yaml` config file: every path under it would fail
 * with ENOTDIR. Refused up front, naming the variable. (Its own module: the CLI checks it before it loads a
 * command.)
 * @throws EngineError('InvalidConfig')
 */
export async function checkConfigFolder(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const named = env.SFDB_CONFIG_PATH
  if (!named || /\.ya?ml$/i.test(named)) return
  const s = await stat(named).catch(() => null)
  if (s !== null && !s.isDirectory())
    throw new EngineError(
      'InvalidConfig',
      `SFDB_CONFIG_PATH names ${named}, which is a file, not a folder: point it at the configuration folder ` +
        `(or at a .yaml config file)`,
    )
}
