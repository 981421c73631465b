import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import {
  assertProfileFile,
  connectionOf,
  profileDir,
  readProfile,
  resolveProfileRef,
} from '../engine/profiles/index.ts'
import type { LoadedProfile } from '../engine/profiles/index.ts'
import { sshPolicy, keySources, type CliContext } from './context.ts'
import { resolveProfileKey } from './keys.ts'

/**
 * Opens the profile a command connects with (a name in the profile folder or a path), its key resolved
 * flag → env → keychain → prompt (unless `noPrompt`), and the connection settings it gives (with the SSH host-key policy).
 */
export async function openSourceProfile(
  ctx: CliContext,
  ref: string,
  keyFlag: string | undefined,
  sshInsecure: boolean,
  folder: string = profileDir(ctx.configDir),
  noPrompt = false,
): Promise<{ profile: LoadedProfile; connection: ConnectionSettings }> {
  const path = resolveProfileRef(folder, ref)
  await assertProfileFile(path)
  const key = await resolveProfileKey(keyFlag, keySources(ctx), { profile: ref, noPrompt })
  const profile = await readProfile(path, key.key)
  return { profile, connection: connectionOf(profile.data, sshPolicy(ctx, sshInsecure)) }
}
