/**
 * `--env-file FILE` of `schedule run-due`: the keys of a scheduled run on a machine without a keychain
 * (a crontab line must not hold them). `NAME=value` lines (`export ` allowed, `#` comments, values
 * optionally quoted), SFDB_* names only; a file other accounts can read is refused, as ssh refuses a key.
 */
import { readFile, stat } from 'node:fs/promises'
import { EngineError, errno, toEngineError } from '../../engine/errors.ts'

export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string
  try {
    const info = await stat(path)
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0)
      throw new EngineError(
        'PermissionDenied',
        `the environment file ${path} can be read by other accounts (mode ${(info.mode & 0o777).toString(8)}): chmod 600 it`,
      )
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (e instanceof EngineError) throw e
    if (errno(e) === 'ENOENT') return {}
    throw toEngineError(e, `reading the environment file ${path}`)
  }
  const env: Record<string, string> = {}
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (!m || !m[1]?.startsWith('SFDB_'))
      throw new EngineError(
        'InvalidInput',
        `line ${i + 1} of the environment file ${path} is not SFDB_NAME=value`,
      )
    const value = m[2] ?? ''
    env[m[1]] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value
  }
  return env
}
