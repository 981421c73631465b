import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'

export interface DefaultsFile {
  path: string
  /** The private 0700 directory holding it (removed with it). */
  dir: string
  /** Removes the file and its private directory; safe to call twice. */
  remove(): Promise<void>
}

/**
 * Option-file value quoting: inside double quotes the client's option parser unescapes \\ \" \' \n \t \r \b
 * and \s, and `#` no longer starts a comment — so any password survives.
 */
export function quoteOptionValue(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
  return `"${escaped}"`
}

/**
 * The TLS options of a profile in the client's own words. MySQL's clients take --ssl-mode. MariaDB's have
 * only --ssl and --ssl-verify-server-cert, which checks the chain AND the host name: verify-ca is therefore
 * as strict as verify-identity for mariadb-dump (a certificate without the host name fails there).
 */
export function tlsOptionLines(tls: ConnectionSettings['tls'], flavor: 'mariadb' | 'mysql'): string[] {
  if (!tls) return []
  const files = [
    ...(tls.ca ? [`ssl-ca=${quoteOptionValue(tls.ca)}`] : []),
    ...(tls.cert ? [`ssl-cert=${quoteOptionValue(tls.cert)}`] : []),
    ...(tls.key ? [`ssl-key=${quoteOptionValue(tls.key)}`] : []),
  ]
  if (flavor === 'mysql') return [`ssl-mode=${tls.mode.toUpperCase().replace('-', '_')}`, ...files]
  switch (tls.mode) {
    case 'disabled':
      return ['skip-ssl']
    case 'preferred':
      return files
    case 'required':
      return ['ssl', ...files]
    case 'verify-ca':
    case 'verify-identity':
      return ['ssl', 'ssl-verify-server-cert', ...files]
  }
}

/** The [client] section given to the dump binary: credentials never go on a command line. */
export function formatDefaultsFile(s: ConnectionSettings, flavor: 'mariadb' | 'mysql' = 'mariadb'): string {
  const lines = ['[client]', `user=${quoteOptionValue(s.user)}`, `password=${quoteOptionValue(s.password)}`]
  if (s.socket) {
    lines.push(`socket=${quoteOptionValue(s.socket)}`)
  } else {
    lines.push(`host=${quoteOptionValue(s.host)}`, `port=${s.port}`, 'protocol=TCP')
  }
  lines.push(...tlsOptionLines(s.tls, flavor))
  return lines.join('\n') + '\n'
}

/**
 * Writes a 0600 defaults file in a fresh 0700 directory under the OS temp dir. The caller passes
 * `--defaults-extra-file=<path>` as the FIRST argument of the client and calls remove() when it exits.
 */
export async function createDefaultsFile(
  settings: ConnectionSettings,
  flavor: 'mariadb' | 'mysql' = 'mariadb',
): Promise<DefaultsFile> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-cred-'))
  const path = join(dir, 'client.cnf')
  try {
    await writeFile(path, formatDefaultsFile(settings, flavor), { mode: 0o600, flag: 'wx' })
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
  return { path, dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
