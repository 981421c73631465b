/**
 * Whether a destination works, before a backup depends on it: a small probe file written the way every
 * copy is (`.part`, synced, renamed, verified), then removed — `sfdbtools destination test` and the app's
 * Test button (Settings → Destinations) run this same function.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { openDestination, type RunDestination } from './session.ts'
import type { SftpHostKeys } from './sftp-copy.ts'

export interface ProbeResult {
  /** Where the probe was written (no secret in it). */
  url: string
  bytes: number
}

/** Writes, verifies and removes a probe file on the destination; throws the copy's error when it cannot. */
export async function probeDestination(run: RunDestination, hostKeys: SftpHostKeys): Promise<ProbeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-probe-'))
  const probe = join(dir, `.sfdbtools-probe-${randomBytes(6).toString('hex')}`)
  try {
    await writeFile(probe, `sfdbtools destination test ${new Date().toISOString()}\n`, { mode: 0o600 })
    const session = await openDestination(run, hostKeys)
    try {
      const copied = await session.put(probe)
      await session.remove(basename(probe))
      return { url: copied.url, bytes: copied.bytes }
    } finally {
      session.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
