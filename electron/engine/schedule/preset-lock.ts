/**
 * One run of a preset at a time, across processes (the app, `schedule run-due` from a timer, a second
 * timer): `<config dir>/schedule/locks/<preset>.lock`, created exclusively ('wx', 0600) and holding the
 * owner's pid. A lock whose pid no longer exists is stale (a crash, a power cut) and is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { errno, toEngineError } from '../errors.ts'
import { SCHEDULE_DIR } from './schedule-state.ts'

export interface PresetLock {
  path: string
  release(): Promise<void>
}

/** The lock file's name: the preset id made safe as a file name. */
export const lockPath = (configDir: string, presetId: string): string =>
  join(configDir, SCHEDULE_DIR, 'locks', `${presetId.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`)

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errno(e) === 'EPERM'
  }
}

/** The pid holding the preset's lock, or null when it is free or stale. */
export async function lockHolder(
  configDir: string,
  presetId: string,
  alive: (pid: number) => boolean = pidAlive,
): Promise<number | null> {
  let text: string
  try {
    text = await readFile(lockPath(configDir, presetId), 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return null
    throw toEngineError(e, `reading the lock of preset ${presetId}`)
  }
  const pid = Number.parseInt(text.trim(), 10)
  return alive(pid) ? pid : null
}

/**
 * Takes the preset's lock for `pid`, or returns null when a live process holds it. A stale lock (its pid is
 * gone, or the file is empty or damaged) is removed and the lock taken.
 */
export async function acquirePresetLock(
  configDir: string,
  presetId: string,
  pid: number = process.pid,
  alive: (pid: number) => boolean = pidAlive,
): Promise<PresetLock | null> {
  const path = lockPath(configDir, presetId)
  await mkdir(join(configDir, SCHEDULE_DIR, 'locks'), { recursive: true, mode: 0o700 })
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600)
      try {
        await file.writeFile(`${pid}\n`)
      } finally {
        await file.close()
      }
      return {
        path,
        release: async () => {
          // Only our own lock is removed: never one a stale-lock recovery handed to someone else.
          if ((await readFile(path, 'utf8').catch(() => '')).trim() === String(pid))
            await unlink(path).catch(() => {})
        },
      }
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw toEngineError(e, `taking the lock of preset ${presetId}`)
    }
    if ((await lockHolder(configDir, presetId, alive)) !== null) return null
    await unlink(path).catch((e: unknown) => {
      if (errno(e) !== 'ENOENT') throw toEngineError(e, `removing the stale lock of preset ${presetId}`)
    })
  }
  return null
}
