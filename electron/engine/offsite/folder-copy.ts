import { createReadStream } from 'node:fs'
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FolderDestination } from '../../../shared/destination.ts'
import { advice, EngineError, errno, toEngineError } from '../errors.ts'
import { fsyncDir } from '../fs/atomic-write.ts'
import {
  checkCopy,
  hashStream,
  PART_SUFFIX,
  sendFile,
  type CopiedFile,
  type CopyOptions,
} from './transfer.ts'

/** A failure to write to a folder destination, named and with what to do. */
function folderError(destination: FolderDestination, e: unknown): EngineError {
  const cause = toEngineError(e)
  if (cause.code === 'Cancelled' || cause.code === 'CopyFailed' || cause.code === 'ChecksumMismatch')
    return cause
  return new EngineError(
    'CopyFailed',
    `cannot copy to the destination ${destination.name} (${destination.path}): ${cause.message}`,
    { cause: e, advice: advice('copyUnreachable', { destination: destination.name }) },
  )
}

/**
 * Copies a local file into a folder destination (a local disk, a mounted NAS/SMB share) under the same
 * name, with the rule of every file we write: `<name>.part` (0600), fsync, rename, fsync of the folder —
 * then reads the copy back and checks its size and sha256. A failure or a cancel removes the `.part`; a
 * `.part` is never left behind.
 */
export async function copyToFolder(
  destination: FolderDestination,
  local: string,
  options: CopyOptions = {},
): Promise<CopiedFile> {
  const name = basename(local)
  const final = join(destination.path, name)
  const part = final + PART_SUFFIX
  let renamed = false
  try {
    await mkdir(destination.path, { recursive: true, mode: 0o700 })
    await unlink(part).catch((e: unknown) => {
      if (errno(e) !== 'ENOENT') throw e
    })
    const handle = await open(part, 'wx', 0o600)
    let sent: { bytes: number; sha256: string }
    try {
      await handle.chmod(0o600).catch(() => {}) // a share may not keep modes; the copy is still written
      sent = await sendFile(
        local,
        async (chunk, position) => void (await handle.write(chunk, 0, chunk.length, position)),
        options,
      )
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(part, final)
    renamed = true
    await fsyncDir(destination.path)
    checkCopy(destination.name, name, sent, await hashStream(createReadStream(final)))
    await chmod(final, 0o600).catch(() => {})
    return { url: pathToFileURL(final).href, ...sent }
  } catch (e) {
    await unlink(part).catch(() => {})
    if (renamed) await unlink(final).catch(() => {}) // a copy that does not verify is not a copy
    throw folderError(destination, e)
  }
}
