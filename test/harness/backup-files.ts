/**
 * Real backup files without a server: a complete uncompressed dump (the dump's completion trailer, its
 * sha256) with our metadata, as the engine writes them — for the history, verify and retention tests.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildMetadata, writeMetadata } from '../../electron/engine/backup/metadata.ts'

export const DAY = 86_400_000

/** A real, complete, uncompressed backup of `db` started `daysAgo` days ago, with its metadata. */
export async function writeBackup(
  dir: string,
  db: string,
  daysAgo: number,
  tag: string,
  rows = 3,
): Promise<string> {
  const started = new Date(Date.now() - daysAgo * DAY)
  const path = join(dir, `${db}_${tag}.sql`)
  const sql =
    `-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n--\n-- Host: localhost    Database: ${db}\n` +
    `CREATE TABLE t (id int);\nINSERT INTO t VALUES ${Array.from({ length: rows }, (_, i) => `(${i + 1})`).join(',')};\n-- Dump completed on 2026-03-01 10:00:00\n`
  await mkdir(dir, { recursive: true })
  await writeFile(path, sql, { mode: 0o600 })
  const bytes = Buffer.byteLength(sql)
  const meta = buildMetadata({
    backupType: 'single',
    ticket: `CHG-${tag}`,
    databases: [db],
    file: { path, bytes, sqlBytes: bytes, sha256: createHash('sha256').update(sql).digest('hex') },
    warnings: [],
    startedAt: started,
    finishedAt: new Date(started.getTime() + 1000),
    compression: { type: 'none', level: 0 },
    encrypted: false,
    server: { host: 'db1', port: 3306, hostname: 'db1', flavor: 'mariadb', version: '10.11.6' },
    dump: { binary: 'mariadb-dump', version: 'v', args: [], excludeData: false },
    excludedDatabases: [],
    sourceDataBytes: 100,
    gtid: null,
    grantsFile: null,
    gtidFile: null,
  })
  await writeMetadata(path, meta)
  return path
}
