/**
 * Settings → Destinations: the offsite destinations of `destinations.json` (0600, shared with the CLI's
 * `sfdbtools destination`), their secrets in the OS keychain (`sftp-password:<name>`, `s3-secret-key:<name>`)
 * — stored when given, never handed back — a probe of a destination (engine/offsite/probe.ts, as
 * `destination test`) and the dry run of a destination's retention.
 */
import { isAbsolute } from 'node:path'
import type { Destination, DestinationRetention } from '../../../shared/destination.ts'
import type {
  DestinationPrunePreview,
  DestinationView,
  QuickBackupPreset,
  Settings,
} from '../../../shared/ipc.ts'
import { EngineError } from '../../engine/errors.ts'
import {
  findDestinations,
  loadDestinations,
  putDestination,
  removeDestination,
} from '../../engine/offsite/destinations.ts'
import { probeDestination } from '../../engine/offsite/probe.ts'
import { pruneDestination } from '../../engine/offsite/remote-retention.ts'
import type { SecretKind } from '../../engine/secrets/keychain.ts'
import { secretKindOf, withSecret } from '../../engine/offsite/session.ts'
import { appHostKeys, type OffsiteSources } from './offsite-plan.ts'

export interface DestinationServiceDeps extends OffsiteSources {
  /** The app's settings: a removed destination leaves the presets that copied to it. */
  settings: { get(): Promise<Settings>; update(next: Settings): Promise<Settings> }
}

const SECRET_KINDS: SecretKind[] = ['sftp-password', 's3-secret-key']

/** Paths the CLI would resolve: the app takes absolute ones only (the main process has no useful cwd). */
function checkPaths(d: Destination): void {
  const absolute = (path: string, what: string): void => {
    if (!isAbsolute(path))
      throw new EngineError('InvalidInput', `${what} must be an absolute path, got '${path}'`)
  }
  if (d.kind === 'folder') absolute(d.path, 'the folder')
  if (d.kind === 'sftp' && d.auth === 'key') {
    if (!d.identityFile) throw new EngineError('InvalidInput', 'an SFTP key login needs its identity file')
    absolute(d.identityFile, 'the identity file')
  }
  if (d.kind === 's3' && d.credentials === 'keychain' && !d.accessKeyId)
    throw new EngineError('InvalidInput', 'S3 credentials from the keychain need the access key id')
}

/** A preset that no longer copies to `name` (neither as the preset's nor as its request's destination). */
function withoutDestination(preset: QuickBackupPreset, name: string): QuickBackupPreset {
  const drop = (names: string[] | undefined): string[] | undefined => names?.filter((n) => n !== name)
  const copyTo = drop(preset.copyTo)
  const requestCopyTo = drop(preset.request.copyTo)
  return {
    ...preset,
    ...(copyTo === undefined ? {} : { copyTo }),
    request: { ...preset.request, ...(requestCopyTo === undefined ? {} : { copyTo: requestCopyTo }) },
  }
}

export function createDestinationService(deps: DestinationServiceDeps) {
  const keychain = () => deps.keychain()

  const stored = async (kind: SecretKind, name: string): Promise<boolean> =>
    (await keychain()
      .get(kind, name)
      .catch(() => null)) !== null

  const view = async (d: Destination): Promise<DestinationView> => {
    const kind = secretKindOf(d)
    return { ...d, secretStored: kind !== null && (await stored(kind, d.name)) }
  }

  const find = async (name: string): Promise<Destination> => {
    const [found] = await findDestinations(deps.configDir(), [name])
    if (found === undefined) throw new EngineError('InvalidInput', `no offsite destination named ${name}`)
    return found
  }

  /** Stores the new secret (or checks one is there), and drops the secrets the destination no longer uses. */
  async function keepSecret(d: Destination, secret: string | undefined): Promise<void> {
    const kind = secretKindOf(d)
    if (kind !== null && secret !== undefined) await keychain().set(kind, secret, d.name)
    else if (kind !== null && !(await stored(kind, d.name)))
      throw new EngineError(
        'InvalidInput',
        kind === 'sftp-password'
          ? `enter the SFTP password of ${d.name}: none is stored`
          : `enter the S3 secret access key of ${d.name}: none is stored`,
      )
    for (const other of SECRET_KINDS.filter((k) => k !== kind))
      await keychain()
        .delete(other, d.name)
        .catch(() => false)
  }

  return {
    async list(): Promise<DestinationView[]> {
      return Promise.all((await loadDestinations(deps.configDir())).map(view))
    },

    async save(
      destination: Destination,
      secret: string | undefined,
      replace: boolean,
    ): Promise<DestinationView> {
      checkPaths(destination)
      const exists = (await loadDestinations(deps.configDir())).some((d) => d.name === destination.name)
      if (exists && !replace)
        throw new EngineError('InvalidInput', `a destination named '${destination.name}' exists already`)
      await keepSecret(destination, secret)
      await putDestination(deps.configDir(), destination)
      return view(destination)
    },

    async remove(name: string): Promise<boolean> {
      const removed = await removeDestination(deps.configDir(), name)
      for (const kind of SECRET_KINDS)
        await keychain()
          .delete(kind, name)
          .catch(() => false)
      const settings = await deps.settings.get()
      const presets = settings.presets.map((p) => withoutDestination(p, name))
      if (JSON.stringify(presets) !== JSON.stringify(settings.presets))
        await deps.settings.update({ ...settings, presets })
      return removed
    },

    async test(name: string): Promise<{ url: string }> {
      const run = await withSecret(await find(name), keychain())
      const { url } = await probeDestination(run, appHostKeys(deps))
      return { url }
    },

    async prunePreview(name: string, retention: DestinationRetention): Promise<DestinationPrunePreview> {
      const run = await withSecret({ ...(await find(name)), retention }, keychain())
      const { plan } = await pruneDestination(run, appHostKeys(deps), { apply: false })
      return {
        destination: name,
        cutoff: plan.cutoff?.toISOString() ?? null,
        remove: plan.remove.map(({ set, reason }) => ({
          dump: set.dump,
          files: set.files.map((f) => f.name),
          bytes: set.bytes,
          date: set.date?.toISOString() ?? null,
          reason,
        })),
        kept: plan.keep.length,
        bytes: plan.bytes,
        ignored: plan.ignored,
      }
    },
  }
}

export type DestinationService = ReturnType<typeof createDestinationService>
