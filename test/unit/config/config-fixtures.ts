import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { EngineError } from '../../../electron/engine/errors.ts'

/** A fresh config folder per test. */
export async function tempConfigDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-config-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes a config file (0600 unless told otherwise) and returns its path. */
export async function writeConfig(path: string, text: string, mode = 0o600): Promise<string> {
  await writeFile(path, text)
  await chmod(path, mode)
  return path
}

/** The 1-based line of the first line containing `needle`: so tests read line numbers off their own input. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle))
  if (index < 0) throw new Error(`fixture has no line with ${needle}`)
  return index + 1
}

/** The EngineError a promise or call rejects with. */
export async function engineError(run: () => unknown): Promise<EngineError> {
  try {
    await run()
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError)
    return e as EngineError
  }
  throw new Error('expected an EngineError, but nothing was thrown')
}

/** sfDBTools' example config.yaml (reference §4, "Example file" column), with its unrelated sections. */
export const REAL_TOOL_EXAMPLE = `# sfDBTools configuration
general:
  client_code: "demo"
  app_name: "sfDBTools"
  locale:
    timezone: "Asia/Jakarta"
    date_format: "2006-01-02"

config_dir:
  database_profile: /etc/sfDBTools/config/db_profile

log:
  level: info
  format: text
  output:
    console:
      enabled: true
    file:
      enabled: true
      dir: /var/log/sfDBTools
      filename_pattern: "sfDBTools_{date}.log"
      rotation:
        max_size_mb: 100
        max_age_days: 30
    syslog:
      enabled: false

database:
  connection_timeout: 30
  max_open_connections: 10

backup:
  compression:
    type: zstd
    level: 5
    enabled: true
  mysqldump_args: "-fQq --max-statement-time=0 --max-allowed-packet=1G --hex-blob --order-by-primary --single-transaction --routines=true --triggers=true --opt --net-buffer-length=16M"
  exclude:
    user: false
    system_databases: true
    data: false
    empty: false
  include:
    # databases:
    #   - dbsf_nbc_demo
    # file: /etc/sfDBTools/include.txt
    include_dmart: false
  cleanup:
    enabled: false
    schedule: ""
    days: 0
  encryption:
    enabled: true
  output:
    base_directory: /media/ArchiveDB
    file_permissions: "0600"
    metadata_permissions: "0600"
    structure:
      pattern: "{year}{month}{day}/"
      create_subdirs: true
    cleanup_temp: true
    save_backup_info: true
  verification:
    disk_space_check: true
  replication:
    capture_gtid: true
    replication_user: repl_user
    replication_password: repl_password
  # scheduler:
  #   jobs: []
`
