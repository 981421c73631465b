/**
 * describeBackup of a file on an offsite destination: the same facts as of a local file — its metadata
 * (the `.meta.json` copied beside it, read into memory), its layers (the name, the container's magic), the
 * codec of its content when the metadata does not name one, its grants file and `_dmart` companion — from
 * the destination's listing and small reads through its session. Nothing is written locally.
 */
import { basename, join } from 'node:path'
import type { RemoteBackup } from '../../../../shared/restore-types.ts'
import { META_SUFFIX } from '../../backup/metadata.ts'
import type { CatalogEntry } from '../../catalog/catalog-entry.ts'
import { sfdbtoolsBaseName } from '../../catalog/companions.ts'
import { parseBackupMetadata } from '../../catalog/read-metadata.ts'
import type { DestinationSession } from '../../offsite/transfer.ts'
import {
  labelOf,
  readRemoteText,
  remoteEntry,
  remoteLayers,
  remoteLabel,
  remoteSqlSource,
  withRemote,
} from '../remote-source.ts'
import { codecFromContent, sourceFrom, type BackupSource, type DescribeOptions } from './describe-backup.ts'
import { dmartSiblingName, extensionTail } from './names.ts'

/** The metadata beside the dump on the destination, parsed; null when there is none or it is damaged. */
async function remoteMetadata(
  session: DestinationSession,
  name: string,
  names: Set<string>,
): Promise<{ entry: CatalogEntry; raw: unknown } | null> {
  if (!names.has(name + META_SUFFIX)) return null
  try {
    const text = await readRemoteText(session, name + META_SUFFIX)
    // A path only for the parser (it names companions by it): the files are named by their base names.
    const entry = parseBackupMetadata(text, join('/', name + META_SUFFIX))
    return { entry, raw: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown }
  } catch {
    return null // damaged metadata: described from its content and name, as a local file is
  }
}

/** Ours `<dump>.users.sql`, sfDBTools' `<base>_users.sql`, or the grants file the metadata names, when listed. */
function grantsNameOf(name: string, entry: CatalogEntry | null, names: Set<string>): string | null {
  const candidates = [
    name + '.users.sql',
    sfdbtoolsBaseName(name) + '_users.sql',
    ...(entry?.companions ?? []).map((p) => basename(p)).filter((n) => /_users?\.sql$|\.users\.sql$/.test(n)),
  ]
  return candidates.find((c) => c !== name && names.has(c)) ?? null
}

/** The `_dmart` companion on the destination, by the rules of a local file (describe-backup.ts dmartOf). */
function dmartNameOf(
  name: string,
  db: string | null,
  entry: CatalogEntry | null,
  names: Set<string>,
): string | null {
  if (db === null || db.endsWith('_dmart')) return null
  const prefix = `${db}_dmart_`
  for (const c of (entry?.companions ?? []).map((p) => basename(p))) {
    if (c.startsWith(prefix) && !c.endsWith(META_SUFFIX) && names.has(c)) return c
  }
  const sibling = dmartSiblingName(name, db)
  if (sibling !== null && names.has(sibling)) return sibling
  const tail = extensionTail(name)
  const found = [...names].filter(
    (n) =>
      n.startsWith(prefix) &&
      /^\d{8}$/.test(n.slice(prefix.length, prefix.length + 8)) &&
      extensionTail(n) === tail,
  )
  return found.length === 1 ? (found[0] ?? null) : null
}

/**
 * Describes a backup on a destination for a restore (see describeBackup): `file` is its label
 * `<destination>:<name>`, `remote` its name and grants file there.
 * @throws EngineError FileNotFound when the destination has no such file; the session's errors otherwise.
 */
export async function describeRemoteBackup(
  remote: RemoteBackup,
  options: DescribeOptions = {},
): Promise<BackupSource> {
  const label = labelOf(remote)
  return withRemote(
    remote,
    async (session) => {
      const { file, names } = await remoteEntry(session, remote)
      const meta = await remoteMetadata(session, remote.name, names)
      const grantsName = grantsNameOf(remote.name, meta?.entry ?? null, names)
      const source = await sourceFrom({
        file: label,
        name: remote.name,
        sizeBytes: file.bytes,
        metaPath: meta ? remoteLabel(remote.destination.name, remote.name + META_SUFFIX) : null,
        entry: meta?.entry ?? null,
        raw: meta?.raw ?? null,
        layers: await remoteLayers(session, remote.name),
        contentCodec: () =>
          codecFromContent(label, options.key ?? null, (onCodec) =>
            remoteSqlSource(session, remote, options.key ?? null, onCodec, {
              ownsSession: false,
              check: false,
            }),
          ),
        grantsFile: async () => null,
        dmartCompanion: async (db, entry) => dmartNameOf(remote.name, db, entry, names),
      })
      return { ...source, remote: { destination: remote.destination.name, name: remote.name, grantsName } }
    },
    options.hostKeyPolicy,
  )
}
