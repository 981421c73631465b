import type { FileHandle } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** Bytes read at once behind the writer. */
const TAIL_BLOCK = 1 << 20
/** How long the reader waits when it has caught up with a writer that still runs. */
const CAUGHT_UP_WAIT_MS = 20

/**
 * Reads a file another process is writing, from its start, as it grows: every byte goes to `feed` once, in
 * order, until the writer has ended (`writerDone`) and the file's end is reached. The buffer handed to `feed`
 * is reused: it must not be kept. Returns the bytes read.
 *
 * For the backup without compression or encryption: the dump writes its file itself (as `mariadb-dump > f`
 * does), so its output never waits for this process, and the checksum, the progress and the completion check
 * read the bytes behind it from the page cache.
 */
export async function tailFile(
  file: FileHandle,
  writerDone: Promise<unknown>,
  feed: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<number> {
  let done = false
  void writerDone.finally(() => (done = true))
  const buffer = Buffer.allocUnsafe(TAIL_BLOCK)
  let position = 0
  for (;;) {
    signal?.throwIfAborted()
    // Read after looking at `done`: a writer that had ended before this read has nothing more to add.
    const ended = done
    const { bytesRead } = await file.read(buffer, 0, TAIL_BLOCK, position)
    if (bytesRead > 0) {
      feed(buffer.subarray(0, bytesRead))
      position += bytesRead
      continue
    }
    if (ended) return position
    await Promise.race([writerDone, sleep(CAUGHT_UP_WAIT_MS)])
  }
}
