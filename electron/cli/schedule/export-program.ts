/**
 * The absolute command an exported unit, crontab line or task runs: --bin, else `sfdbtools` on PATH (the
 * installed wrapper), else this very CLI (Node + its script).
 */
import { access, constants } from 'node:fs/promises'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { EngineError } from '../../engine/errors.ts'
import type { CliContext } from '../context.ts'

const executable = (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  )

export async function exportProgram(ctx: CliContext, bin: string | undefined): Promise<string[]> {
  if (bin !== undefined) {
    if (!isAbsolute(bin))
      throw new EngineError('InvalidInput', `--bin must be an absolute path, got '${bin}'`)
    if (!(await executable(bin)))
      throw new EngineError('FileNotFound', `--bin ${bin} is not an executable file`)
    return [bin]
  }
  const names = process.platform === 'win32' ? ['sfdbtools.cmd', 'sfdbtools.exe'] : ['sfdbtools']
  for (const dir of (ctx.env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d)))
    for (const name of names) if (await executable(join(dir, name))) return [join(dir, name)]
  const script = process.argv[1]
  return script === undefined ? [process.execPath] : [process.execPath, resolve(script)]
}
