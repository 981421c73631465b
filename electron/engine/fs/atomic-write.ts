import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface AtomicWriteOptions {
  /** File mode of the result; secrets and backups are 0600. */
  mode?: number
  /** Refuse to replace an existing file (the rename is then a link + unlink). */
  noOverwrite?: boolean
}

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one: a temp file in
 * the same directory, fsync, rename, fsync of the directory. The temp file never survives a failure.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const tmp = join(dir, `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`)
  await writePartFile(tmp, data, options.mode ?? 0o600)
  try {
    if (options.noOverwrite) {
      await link(tmp, path) // fails with EEXIST instead of replacing
      await unlink(tmp)
    } else {
      await rename(tmp, path)
    }
  } catch (e) {
    await unlink(tmp).catch(() => {})
    throw e
  }
  await fsyncDir(dir)
}

/**
 * Writes a new `.part` file that a commit later links under its final name (`commitSet`): created
 * exclusively (never over an existing file), the exact mode, the data synced to disk. No temp file and no
 * fsync of the folder: until the commit the name means "not complete", and the commit syncs the folder once.
 * A failure removes what was created.
 */
export async function writePartFile(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const handle = await open(path, 'wx', mode)
  try {
    await handle.chmod(mode) // the umask must not widen or narrow the requested mode
    await handle.writeFile(data)
    await handle.sync()
  } catch (e) {
    await handle.close().catch(() => {})
    await unlink(path).catch(() => {})
    throw e
  }
  await handle.close()
}

/** Makes a rename durable (best effort: not every platform can open a directory). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r')
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}
