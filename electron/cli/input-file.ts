import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { EngineError, errno, toEngineError } from '../engine/errors.ts'

/**
 * The backup file a command reads: a missing one is FileNotFound, a folder is InvalidInput, both naming the
 * path, before any reader opens it.
 */
export async function checkInputFile(path: string): Promise<void> {
  const s = await stat(path).catch((e: unknown) => {
    throw toEngineError(e, path)
  })
  if (s.isDirectory()) throw new EngineError('InvalidInput', `${path} is a folder, not a backup file`)
}

/** The folder an output file goes to must exist: nothing is created on a guess. */
export async function checkOutputFolder(target: string): Promise<void> {
  const dir = dirname(target)
  const s = await stat(dir).catch((e: unknown) => {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR')
      throw new EngineError('InvalidInput', `the output folder ${dir} does not exist: create it first`)
    throw toEngineError(e, dir)
  })
  if (!s.isDirectory()) throw new EngineError('InvalidInput', `the output folder ${dir} is not a folder`)
}
