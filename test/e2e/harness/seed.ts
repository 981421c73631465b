/** Keys in the keychain and one profile, through window.sfdb (the real handlers), for flows that need them. */
import { expect } from 'vitest'
import type { AppSession } from './with-app.ts'

export interface SeedProfile {
  name: string
  host: string
  port: number
  user: string
  password: string
  profileKey: string
  backupKey: string
}

/** Stores both keys and creates the profile, then reloads: the stores load once at start. */
export async function seedProfile(app: AppSession, profile: SeedProfile): Promise<void> {
  const result = await app.page.evaluate(async (p) => {
    const sfdb = (globalThis as unknown as { sfdb: { invoke(c: string, r: unknown): Promise<unknown> } }).sfdb
    return [
      await sfdb.invoke('keys:set', { kind: 'profile-key', secret: p.profileKey }),
      await sfdb.invoke('keys:set', { kind: 'backup-key', secret: p.backupKey }),
      await sfdb.invoke('profiles:create', {
        profile: { name: p.name, host: p.host, port: p.port, user: p.user, password: p.password },
      }),
    ]
  }, profile)
  expect(result, JSON.stringify(result)).toEqual([
    { ok: true, value: { stored: true } },
    { ok: true, value: { stored: true } },
    expect.objectContaining({ ok: true }),
  ])
  await app.page.reload()
}
