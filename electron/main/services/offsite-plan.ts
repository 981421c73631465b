/**
 * The offsite part of an app backup's plan: the destinations a run copies to (a preset's `copyTo`, the
 * form's "Copy to"), read from `destinations.json`, with the SFTP host-key policy of the app (the config
 * folder's known_hosts) — and their secrets from the OS keychain, which travel to the job process in the
 * start request only (never in the plan, a log or the job history).
 */
import { join } from 'node:path'
import type { OffsitePlan, OffsiteSecrets } from '../../../shared/job-protocol.ts'
import { findDestinations } from '../../engine/offsite/destinations.ts'
import { withSecret } from '../../engine/offsite/session.ts'
import type { SftpHostKeys } from '../../engine/offsite/sftp-copy.ts'
import type { Keychain } from '../../engine/secrets/keychain.ts'

export interface OffsiteSources {
  configDir(): string
  keychain(): Keychain
  env(): Readonly<Record<string, string | undefined>>
}

/** Host keys of SFTP destinations: `<config dir>/known_hosts`, as the profiles' SSH tunnel checks them. */
export function appHostKeys(sources: OffsiteSources, warn?: (message: string) => void): SftpHostKeys {
  return {
    knownHostsFile: join(sources.configDir(), 'known_hosts'),
    insecure: sources.env().SFDB_SSH_INSECURE_IGNORE_HOSTKEY === '1',
    ...(warn ? { warn } : {}),
  }
}

/**
 * The plan's `offsite` and the start request's secrets for these destination names (deduplicated, in
 * order); null for none. An unknown name is refused (InvalidInput, advice copyUnknownDestination) before
 * anything runs.
 */
export async function offsiteForRun(
  names: readonly string[],
  sources: OffsiteSources,
): Promise<{ offsite: OffsitePlan; secrets: OffsiteSecrets } | null> {
  const unique = [...new Set(names)]
  if (unique.length === 0) return null
  const destinations = await findDestinations(sources.configDir(), unique)
  const secrets: OffsiteSecrets = {}
  for (const destination of destinations) {
    const run = await withSecret(destination, sources.keychain())
    if (run.secret) secrets[destination.name] = run.secret
  }
  const { knownHostsFile, insecure } = appHostKeys(sources)
  return { offsite: { destinations, hostKeys: { knownHostsFile, insecure } }, secrets }
}
