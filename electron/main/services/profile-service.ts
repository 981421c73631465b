/**
 * The connection profiles of the app: sfDBTools-compatible `.cnf.enc` files in `<config dir>/database_profile`,
 * read and written by the engine with the profile key of the key service. The same operations as the CLI's
 * `profile` commands, without prompts: the app cannot ask, so everything arrives in the request.
 */
import { unlink } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type { ProfileInput, ProfileListEntry, ProfileTestReport, ProfileView } from '../../../shared/ipc.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { EngineError, errno, toEngineError } from '../../engine/errors.ts'
import { testConnection } from '../../engine/mysql/connection-test.ts'
import {
  connectionOf,
  listProfiles,
  profileDisplayName,
  profilePath,
  readProfile,
  validateProfileName,
  writeProfile,
  type LoadedProfile,
  type SshPolicy,
} from '../../engine/profiles/index.ts'
import type { HostKeyPolicy } from '../../engine/ssh/tunnel.ts'
import { typedKey, type Env, type KeyService } from './key-service.ts'
import { toProfileData, toProfileView } from './profile-view.ts'

export interface ProfileServiceDeps {
  configDir(): string
  env(): Env
  keys: KeyService
  /** The profile folder (`config_dir.database_profile` of the shared config); `<config dir>/database_profile` when absent. */
  profileDir(): Promise<string>
}

/** Where a profile connects, for matching backups to profiles (no secret). */
export interface ProfileEndpoint {
  name: string
  host: string
  port: number
}

/**
 * Tunnel host keys live in `<config dir>/known_hosts`, shared with the CLI; checking is off only by the
 * same explicit variable the CLI reads.
 */
export const sshPolicyOf = (configDir: string, env: Env): SshPolicy => ({
  knownHostsFile: join(configDir, 'known_hosts'),
  insecure: env.SFDB_SSH_INSECURE_IGNORE_HOSTKEY === '1',
})

/**
 * The app has no terminal to confirm an unknown host key on: it is refused, and the engine's error says
 * how to trust it (`sfdbtools profile test` on a terminal, or a known_hosts line).
 */
export const APP_HOST_KEY_POLICY: HostKeyPolicy = { warn: (message) => console.warn(message) }

export function createProfileService(deps: ProfileServiceDeps) {
  const dir = async (): Promise<string> => deps.profileDir()
  const pathOf = async (name: string): Promise<string> => profilePath(await dir(), name)
  const endpointCache = new Map<string, { stamp: string; endpoint: ProfileEndpoint }>()

  const view = async (profile: Pick<LoadedProfile, 'name' | 'path' | 'data'>): Promise<ProfileView> =>
    toProfileView(profile, await deps.keys.hasOwnBackupKey(profile.name))

  const load = async (name: string): Promise<{ profile: LoadedProfile; key: string }> => {
    const key = await deps.keys.profileKey()
    return { profile: await readProfile(await pathOf(name), key), key }
  }

  /** A profile and the connection it describes (through its SSH tunnel when it has one). */
  async function open(name: string): Promise<{ profile: LoadedProfile; connection: ConnectionSettings }> {
    const { profile } = await load(name)
    return { profile, connection: connectionOf(profile.data, sshPolicyOf(deps.configDir(), deps.env())) }
  }

  async function list(): Promise<ProfileListEntry[]> {
    const entries = await listProfiles(await dir())
    let key: string
    try {
      key = await deps.keys.profileKey()
    } catch (e) {
      const error = toEngineError(e).toAppError()
      return entries.map(({ name, path }) => ({ name, path, status: 'locked', error }))
    }
    return Promise.all(
      entries.map(async ({ name, path }): Promise<ProfileListEntry> => {
        try {
          return { name, path, status: 'ok', profile: await view(await readProfile(path, key)) }
        } catch (e) {
          const error = toEngineError(e)
          return {
            name,
            path,
            status: error.code === 'WrongKey' ? 'locked' : 'damaged',
            error: error.toAppError(),
          }
        }
      }),
    )
  }

  async function update(name: string, input: ProfileInput): Promise<ProfileView> {
    const { profile, key } = await load(name)
    const data = toProfileData(input, profile.data)
    const newName = validateProfileName(input.name)
    if (newName === profile.name) {
      await writeProfile(await dir(), profile.name, data, key, { overwrite: true })
      return view({ ...profile, data })
    }
    // A rename: the new file first (refused when the name is taken), then the old one goes.
    const saved = await writeProfile(await dir(), newName, data, key, { overwrite: false })
    await unlink(profile.path)
    await deps.keys
      .renameOwnBackupKey(profile.name, saved.name)
      .catch((e: unknown) => console.warn(`the backup key of profile '${profile.name}' was not moved`, e))
    return view({ ...profile, ...saved, data })
  }

  async function importProfile(request: {
    path: string
    key: string
    name?: string
    force: boolean
  }): Promise<ProfileView> {
    if (!isAbsolute(request.path))
      throw new EngineError(
        'InvalidInput',
        `give the profile file as an absolute path, got '${request.path}'`,
      )
    const ours = await deps.keys.profileKey()
    const source = await readProfile(request.path, typedKey(request.key, "imported file's key"))
    const name = validateProfileName(request.name ?? profileDisplayName(request.path))
    const saved = await writeProfile(await dir(), name, source.data, ours, {
      overwrite: request.force,
    }).catch((e: unknown) => {
      const error = toEngineError(e)
      if (error.code !== 'ProfileExists') throw error
      throw new EngineError('ProfileExists', `${error.message}: choose another name, or replace it`)
    })
    return view({ ...source, ...saved })
  }

  async function test(name: string): Promise<ProfileTestReport> {
    const { connection } = await open(name)
    return testConnection(connection, APP_HOST_KEY_POLICY)
  }

  /**
   * Refuses a profile key that opens none of the saved profiles (a typo would otherwise lock them all).
   * Damaged files say nothing about the key; no profile at all accepts any key.
   */
  async function assertKeyOpensAny(secret: string): Promise<void> {
    const key = typedKey(secret, 'profile key')
    const entries = await listProfiles(await dir())
    let refused = 0
    for (const entry of entries) {
      try {
        await readProfile(entry.path, key)
        return
      } catch (e) {
        if (toEngineError(e).code === 'WrongKey') refused++
      }
    }
    if (refused > 0) {
      throw new EngineError(
        'WrongKey',
        `the key opens none of the ${entries.length} saved profile${entries.length === 1 ? '' : 's'}: check it`,
      )
    }
  }

  /**
   * Where each profile that opens connects, for the history. Cached per file version: decrypting every
   * profile (PBKDF2, 600,000 rounds) on every history refresh would be slow.
   */
  async function endpoints(): Promise<ProfileEndpoint[]> {
    const entries = await listProfiles(await dir())
    const key = await deps.keys.profileKey().catch(() => null)
    const out: ProfileEndpoint[] = []
    for (const entry of entries) {
      const stamp = `${entry.modifiedAt.getTime()}:${entry.size}`
      const cached = endpointCache.get(entry.path)
      if (cached?.stamp === stamp) {
        out.push(cached.endpoint)
        continue
      }
      if (key === null) continue
      const data = await readProfile(entry.path, key).then(
        (p) => p.data,
        () => null,
      )
      if (data === null) continue
      const endpoint = { name: entry.name, host: data.host, port: data.port || 3306 }
      endpointCache.set(entry.path, { stamp, endpoint })
      out.push(endpoint)
    }
    return out
  }

  return {
    list,
    /** The names of the saved profiles (no key needed). */
    names: async (): Promise<string[]> => (await listProfiles(await dir())).map((e) => e.name),
    open,
    get: async (name: string): Promise<ProfileView> => view((await load(name)).profile),

    async create(input: ProfileInput): Promise<ProfileView> {
      const key = await deps.keys.profileKey()
      const data = toProfileData(input)
      const saved = await writeProfile(await dir(), validateProfileName(input.name), data, key, {
        overwrite: false,
      })
      return view({ ...saved, data })
    },

    update,

    async remove(name: string): Promise<{ deleted: string }> {
      const path = await pathOf(name)
      try {
        await unlink(path)
      } catch (e) {
        if (errno(e) === 'ENOENT') throw new EngineError('ProfileNotFound', `no profile '${name}' (${path})`)
        throw toEngineError(e, path)
      }
      return { deleted: name }
    },

    async clone(from: string, to: string): Promise<ProfileView> {
      const { profile, key } = await load(from)
      const saved = await writeProfile(await dir(), validateProfileName(to), profile.data, key, {
        overwrite: false,
      })
      return view({ ...profile, ...saved })
    },

    importProfile,
    test,
    assertKeyOpensAny,
    endpoints,
  }
}

export type ProfileService = ReturnType<typeof createProfileService>
