// Metadata in the three layouts the catalog reads. sfDBTools' grouped layout comes from the golden samples
// (test/fixtures/sfdbtools/samples, written by its real Go code); the flat one is built from the key list of
// sfDBTools' flat metadata (written 2025-11-18 .. 2025-12-11); ours follows BackupMetadata.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { BackupMetadata } from '../../../electron/engine/backup/metadata.ts'

export const SAMPLES_DIR = resolve(import.meta.dirname, '../../fixtures/sfdbtools/samples')
export const ALL_SAMPLE = 'all_mariadb-prod-02_20260127_021505_4db.sql.zst.enc'
export const PRIMARY_SAMPLE = 'dbsf_nbc_acme_20260127_030001_mariadb-prod-02.sql.gz.enc'

export const sampleText = (dumpName: string): string =>
  readFileSync(resolve(SAMPLES_DIR, `${dumpName}.meta.json`), 'utf8')

/** sfDBTools' flat layout, in the key order sfDBTools wrote it. */
export function flatMetadata(
  dumpPath: string,
  over: Partial<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    backup_file: dumpPath,
    backup_type: 'single',
    database_names: ['shop'],
    hostname: 'db-old-01',
    backup_start_time: '2025-11-20 01:00:00',
    backup_end_time: '2025-11-20 01:02:05',
    backup_duration: '0 jam 2 menit 5 detik',
    file_size_bytes: 1000,
    file_size_human: '1.0 kB',
    compressed: true,
    compression_type: 'gzip',
    encrypted: false,
    mysqldump_version: '',
    mariadb_version: '10.6.16-MariaDB',
    gtid_info: '0-1-100',
    backup_status: 'success',
    warnings: [],
    generated_by: 'sfdbtools',
    generated_at: '2025-11-20T01:02:05.123456789+07:00',
    replication_user: 'repl',
    replication_password: 'secret',
    source_host: '192.168.1.10',
    source_port: 3307,
    ticket: 'T-1',
    ...over,
  }
}

/** Our own layout (`format: 'sfdbtools-desktop/1'`). */
export function ourMetadata(fileName: string, over: Partial<BackupMetadata> = {}): BackupMetadata {
  return {
    format: 'sfdbtools-desktop/1',
    database_name: 'sales',
    databases: ['sales'],
    backup_date: '2026-02-01T10:00:00.000Z',
    backup_type: 'single',
    ticket: 'CHG-1',
    status: 'success',
    compression: { enabled: true, type: 'zstd', level: 3 },
    encryption: { enabled: true, algorithm: 'AES-256-GCM', format: 'sfdbtools-v3-chunked', kdf: 'x' },
    gtid_info: { executed: '0-1-42', purged: null, binlog_file: 'bin.000001', binlog_position: 4 },
    file_size: 4096,
    user_grants_file: `${fileName}.users.sql`,
    gtid_file: `${fileName}.gtid`,
    excluded_databases: [],
    file: { name: fileName, sha256: 'ab'.repeat(32), size_bytes: 4096, sql_size_bytes: 20000 },
    time: { start: '2026-02-01T10:00:00.000Z', end: '2026-02-01T10:00:07.500Z', duration_ms: 7500 },
    server: { host: 'db.example', port: 3306, hostname: 'db-prod-01', flavor: 'mariadb', version: '11.4.2' },
    dump: { binary: 'mariadb-dump', version: '11.4', args: [], exclude_data: false },
    warnings: [],
    generator: { name: 'sfdbtools-desktop', version: '0.1.0' },
    ...over,
  }
}
