import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG_FILE_NAME, loadAppConfig } from '../../../electron/engine/config/index.ts'
import { engineError, lineOf, tempConfigDir, writeConfig } from './config-fixtures.ts'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => {
  ;({ dir, cleanup } = await tempConfigDir())
})
afterEach(() => cleanup())

async function load(text: string, mode = 0o600) {
  await writeConfig(join(dir, CONFIG_FILE_NAME), text, mode)
  return loadAppConfig({}, dir)
}

const loadError = (text: string) => engineError(() => load(text))

describe('schema errors name the key, the line, what was expected and what was found', () => {
  // [yaml, the key line to find, the exact problem after "file:line: "]
  const cases: [string, string, string, string][] = [
    [
      'level out of range for gzip',
      'backup:\n  compression:\n    type: gzip\n    level: 12\n',
      'level:',
      'backup.compression.level must be an integer 1-9 for gzip (got 12)',
    ],
    [
      'level out of every range',
      'backup:\n  compression:\n    level: 20\n',
      'level:',
      'backup.compression.level must be an integer 1-9 (1-19 for zstd) (got 20)',
    ],
    [
      'level not a number',
      'backup:\n  compression:\n    level: fast\n',
      'level:',
      'backup.compression.level must be an integer 1-9 (1-19 for zstd) (got "fast")',
    ],
    [
      'unknown compression type',
      'general:\n  x: 1\nbackup:\n  compression:\n    type: brotli\n',
      'type:',
      'backup.compression.type must be one of gzip, pgzip, zlib, zstd, xz, none (got "brotli")',
    ],
    [
      'a boolean written as text',
      'backup:\n  exclude:\n    user: "yes"\n',
      'user:',
      'backup.exclude.user must be true or false (got "yes")',
    ],
    [
      'a list given as one name',
      'backup:\n  exclude:\n    databases: db1\n',
      'databases:',
      'backup.exclude.databases must be a list of database names (got "db1")',
    ],
    [
      'a bad list item, on its own line',
      'backup:\n  include:\n    databases:\n      - good\n      - 42\n',
      '- 42',
      'backup.include.databases[1] must be a database name (got 42)',
    ],
    [
      'negative retention',
      'backup:\n  cleanup:\n    retention_days: -1\n',
      'retention_days:',
      'backup.cleanup.retention_days must be an integer ≥ 0 (got -1)',
    ],
    [
      'fractional min_backups',
      'backup:\n  cleanup:\n    min_backups: 1.5\n',
      'min_backups:',
      'backup.cleanup.min_backups must be an integer ≥ 0 (got 1.5)',
    ],
    [
      'zero parallel',
      'backup:\n  parallel: 0\n',
      'parallel:',
      'backup.parallel must be an integer from 1 to 16 (got 0)',
    ],
    [
      'parallel above what a job accepts',
      'backup:\n  parallel: 17\n',
      'parallel:',
      'backup.parallel must be an integer from 1 to 16 (got 17)',
    ],
    [
      'a mode that is not octal',
      'backup:\n  output:\n    file_permissions: "rw-r--r--"\n',
      'file_permissions:',
      'backup.output.file_permissions must be "0600" or "0640" (an octal mode in quotes): a backup holds every row of its databases, so the owner reads and writes it, the group may read it, others never (got "rw-r--r--")',
    ],
    [
      'a backup file mode wider than 0640',
      'backup:\n  output:\n    file_permissions: "0644"\n',
      'file_permissions:',
      'backup.output.file_permissions must be "0600" or "0640" (an octal mode in quotes): a backup holds every row of its databases, so the owner reads and writes it, the group may read it, others never (got "0644")',
    ],
    [
      'a metadata mode wider than 0640',
      'backup:\n  output:\n    metadata_permissions: "0666"\n',
      'metadata_permissions:',
      'backup.output.metadata_permissions must be "0600" or "0640" (an octal mode in quotes): a backup holds every row of its databases, so the owner reads and writes it, the group may read it, others never (got "0666")',
    ],
    [
      'save_backup_info turned off',
      'backup:\n  output:\n    save_backup_info: false\n',
      'save_backup_info:',
      'backup.output.save_backup_info must be true: the .meta.json cannot be turned off, because verify, restore, cleanup and the history read it and its sha256 proves the file whole; remove the key (got false)',
    ],
    [
      'a sub-folder pattern with an unknown token',
      'backup:\n  output:\n    structure:\n      pattern: "{weekday}/"\n',
      'pattern:',
      "backup.output.structure.pattern must be a relative folder using {year} {month} {day} {hour} {minute} {second} {date} {time} {timestamp} (no '..', '\\' or leading '/'), or empty for none (got \"{weekday}/\")",
    ],
    [
      'a sub-folder pattern that leaves the output folder',
      'backup:\n  output:\n    structure:\n      pattern: "../{date}"\n',
      'pattern:',
      "backup.output.structure.pattern must be a relative folder using {year} {month} {day} {hour} {minute} {second} {date} {time} {timestamp} (no '..', '\\' or leading '/'), or empty for none (got \"../{date}\")",
    ],
    [
      'a name pattern with an unknown token',
      'backup:\n  output:\n    name_pattern: "{db}_{weekday}"\n',
      'name_pattern:',
      "backup.output.name_pattern must be a file name using {db} {mode} {host} {date} {time} {ticket} {n} {nodata} (no '/', '\\' or '..'), or default or sfdbtools (got \"{db}_{weekday}\")",
    ],
    [
      'a name pattern with a folder',
      'backup:\n  output:\n    name_pattern: "../{db}"\n',
      'name_pattern:',
      "backup.output.name_pattern must be a file name using {db} {mode} {host} {date} {time} {ticket} {n} {nodata} (no '/', '\\' or '..'), or default or sfdbtools (got \"../{db}\")",
    ],
    [
      'a section that is not a mapping',
      'backup:\n  output: /media/ArchiveDB\n',
      'output:',
      'backup.output must be a mapping (got "/media/ArchiveDB")',
    ],
    [
      'a path that is a number',
      'config_dir:\n  database_profile: 5\n',
      'database_profile:',
      'config_dir.database_profile must be a path (got 5)',
    ],
    [
      'a text bool for encryption',
      'backup:\n  encryption:\n    enabled: "true"\n',
      'enabled:',
      'backup.encryption.enabled must be true or false (got "true")',
    ],
  ]
  it.each(cases)('%s', async (_name, text, keyLine, problem) => {
    const e = await loadError(text)
    expect(e.code).toBe('InvalidConfig')
    const line = `${CONFIG_FILE_NAME}:${lineOf(text, keyLine)}: ${problem}`
    expect(e.detail).toBe(line)
    expect(e.message).toContain(join(dir, CONFIG_FILE_NAME))
    expect(e.message).toContain(line)
  })

  it('reports every problem at once, in line order', async () => {
    const text = [
      'backup:',
      '  parallel: -2',
      '  compression:',
      '    type: gzip',
      '    level: 12',
      '  exclude:',
      '    system_databases: maybe',
      '  output:',
      '    metadata_permissions: "0999"',
      '',
    ].join('\n')
    const e = await loadError(text)
    expect(e.message).toContain('4 problems')
    expect(e.detail?.split('\n')).toEqual([
      `${CONFIG_FILE_NAME}:2: backup.parallel must be an integer from 1 to 16 (got -2)`,
      `${CONFIG_FILE_NAME}:5: backup.compression.level must be an integer 1-9 for gzip (got 12)`,
      `${CONFIG_FILE_NAME}:7: backup.exclude.system_databases must be true or false (got "maybe")`,
      `${CONFIG_FILE_NAME}:9: backup.output.metadata_permissions must be "0600" or "0640" (an octal mode in quotes): a backup holds every row of its databases, so the owner reads and writes it, the group may read it, others never (got "0999")`,
    ])
  })

  it('refuses days and retention_days that differ, naming both and their lines', async () => {
    const text = 'backup:\n  cleanup:\n    days: 7\n    retention_days: 30\n'
    const e = await loadError(text)
    expect(e.detail).toBe(
      `${CONFIG_FILE_NAME}:3: backup.cleanup.days (7) and backup.cleanup.retention_days (30) on line 4 ` +
        'mean the same setting but differ: keep one of them',
    )
  })

  it('refuses a file whose top level is not a mapping', async () => {
    const e = await loadError('- backup\n- general\n')
    expect(e.detail).toBe(`${CONFIG_FILE_NAME}:1: the file must be a mapping of sections (got a list)`)
  })
})

describe('invalid YAML', () => {
  it('names the file, the line and the column', async () => {
    const text = 'backup:\n  compression:\n    type: zstd\n   level: [5\n'
    const e = await loadError(text)
    expect(e.code).toBe('InvalidConfig')
    expect(e.message).toMatch(
      new RegExp(`^invalid YAML in config file ${join(dir, CONFIG_FILE_NAME)}:4:\\d+: `),
    )
  })

  it('reports a duplicated key', async () => {
    const e = await loadError('backup:\n  parallel: 1\n  parallel: 2\n')
    expect(e.message).toContain(`${join(dir, CONFIG_FILE_NAME)}:3:`)
    expect(e.message).toMatch(/unique/)
  })
})

describe('typo warnings in the sections we own', () => {
  const cases: [string, string, string][] = [
    ['backup:\n  compression:\n    levle: 5\n', 'backup.compression.levle', 'backup.compression.level'],
    [
      'backup:\n  cleanup:\n    retention_day: 5\n',
      'backup.cleanup.retention_day',
      'backup.cleanup.retention_days',
    ],
    ['backup:\n  output:\n    base_dir: /x\n', 'backup.output.base_dir', 'backup.output.base_directory'],
    [
      'backup:\n  exclude:\n    system_database: true\n',
      'backup.exclude.system_database',
      'backup.exclude.system_databases',
    ],
    ['backup:\n  encryption:\n    enable: true\n', 'backup.encryption.enable', 'backup.encryption.enabled'],
    ['backup:\n  paralell: 2\n', 'backup.paralell', 'backup.parallel'],
  ]
  it.each(cases)('%s', async (text, typed, meant) => {
    const { warnings, config } = await load(text)
    expect(warnings).toEqual([
      `${CONFIG_FILE_NAME}:${lineOf(text, typed.split('.').at(-1) ?? '')}: unknown key ${typed} is ignored (did you mean ${meant}?)`,
    ])
    expect(config.backup.parallel).toBeUndefined()
  })

  it('lists the known keys when nothing is close', async () => {
    const { warnings } = await load('backup:\n  replication:\n    zzzzzzzz: 1\n')
    expect(warnings).toEqual([
      `${CONFIG_FILE_NAME}:3: unknown key backup.replication.zzzzzzzz is ignored (known keys: capture_gtid, replication_user, replication_password)`,
    ])
  })

  it('says nothing about unknown keys elsewhere', async () => {
    const { warnings } = await load('general:\n  anything: 1\nscheduler:\n  jobs: []\nlog:\n  levle: info\n')
    expect(warnings).toEqual([])
  })
})

describe('the backup key in the config file', () => {
  const SECRET = 'S3cr3t-Backup-Passphrase'

  it('warns, naming chmod 600 and the path, when group or others may read the file', async () => {
    const { warnings, config } = await load(`backup:\n  encryption:\n    key: "${SECRET}"\n`, 0o644)
    const path = join(dir, CONFIG_FILE_NAME)
    expect(config.backup.encryption.key).toBe(SECRET)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`chmod 600 ${path}`)
    expect(warnings[0]).toContain('0644')
    expect(warnings.join('\n')).not.toContain(SECRET)
  })

  it('does not warn for a 0600 file, nor for a readable file without a key', async () => {
    expect((await load(`backup:\n  encryption:\n    key: "${SECRET}"\n`, 0o600)).warnings).toEqual([])
    expect((await load('backup:\n  parallel: 2\n', 0o644)).warnings).toEqual([])
  })

  it('never shows the key in a schema error, a typo warning or a YAML error', async () => {
    const withOthers = await loadError(
      `backup:\n  encryption:\n    key: "${SECRET}"\n    kee: "${SECRET}"\n  parallel: 0\n`,
    )
    expect(`${withOthers.message}\n${withOthers.detail}`).not.toContain(SECRET)

    const asList = await loadError(`backup:\n  encryption:\n    key: ["${SECRET}"]\n`)
    expect(asList.detail).toBe(
      `${CONFIG_FILE_NAME}:3: backup.encryption.key must be text in quotes (got a list)`,
    )
    const asNumber = await loadError('backup:\n  encryption:\n    key: 123456789\n')
    expect(`${asNumber.message}\n${asNumber.detail}`).not.toContain('123456789')

    const typo = await load(`backup:\n  encryption:\n    kye: "${SECRET}"\n`)
    expect(typo.warnings).toHaveLength(1)
    expect(typo.warnings.join('\n')).not.toContain(SECRET)

    const broken = await loadError(`backup:\n  encryption:\n    key: "${SECRET}\n  parallel: 2\n`)
    expect(`${broken.message}\n${broken.detail}`).not.toContain(SECRET.slice(0, 8))
  })
})
