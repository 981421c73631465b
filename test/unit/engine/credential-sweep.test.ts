/**
 * The sweep of credential folders left behind (a job killed before it could clean up): by the pid in the
 * name, and the earlier versions' `sfdb-cred-XXXXXX` (no pid) by their age.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  OLD_CREDENTIAL_FOLDER_AGE_MS,
  sweepCredentialFolders,
} from '../../../electron/engine/dump/defaults-file.ts'

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await once(child, 'exit')
  return child.pid as number
}

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('sweepCredentialFolders', () => {
  it('removes the folders of ended processes and old unnamed ones; keeps live and recent ones', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-sweep-'))
    const folder = async (name: string, ageMs = 0): Promise<void> => {
      await mkdir(join(dir, name), { mode: 0o700 })
      await writeFile(join(dir, name, 'client.cnf'), '[client]\npassword="left behind"\n', { mode: 0o600 })
      const when = new Date(Date.now() - ageMs)
      await utimes(join(dir, name), when, when)
    }
    const dead = `sfdb-cred-${await deadPid()}-AbC123`
    const live = `sfdb-cred-${process.pid}-DeF456`
    await folder(dead)
    await folder(live)
    await folder('sfdb-cred-OldOne', OLD_CREDENTIAL_FOLDER_AGE_MS + 60_000)
    await folder('sfdb-cred-NewOne', 1_000)
    await folder('sfdb-credentials-of-someone', OLD_CREDENTIAL_FOLDER_AGE_MS * 10)
    expect((await sweepCredentialFolders(undefined, dir)).sort()).toEqual([dead, 'sfdb-cred-OldOne'].sort())
    expect((await readdir(dir)).sort()).toEqual(
      [live, 'sfdb-cred-NewOne', 'sfdb-credentials-of-someone'].sort(),
    )
    // A supervisor's sweep of its own job's folders leaves unnamed ones alone, however old.
    await folder('sfdb-cred-Older1', OLD_CREDENTIAL_FOLDER_AGE_MS * 2)
    expect(await sweepCredentialFolders(process.pid, dir)).toEqual([live])
    expect(await readdir(dir)).toContain('sfdb-cred-Older1')
  })
})
