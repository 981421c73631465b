import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CONFIG_FILE_NAME,
  configFilePath,
  emptyAppConfig,
  loadAppConfig,
  withDefaults,
  type AppConfig,
} from '../../../electron/engine/config/index.ts'
import { engineError, REAL_TOOL_EXAMPLE, tempConfigDir, writeConfig } from './config-fixtures.ts'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => {
  ;({ dir, cleanup } = await tempConfigDir())
})
afterEach(() => cleanup())

/** Writes `text` as the config folder's sfDBTools_config.yaml and loads it. */
async function load(text: string, mode = 0o600) {
  await writeConfig(join(dir, CONFIG_FILE_NAME), text, mode)
  return loadAppConfig({}, dir)
}

describe('configFilePath', () => {
  it('uses <configDir>/sfDBTools_config.yaml when no env var names a file', () => {
    expect(configFilePath({}, '/cfg')).toEqual({
      path: join('/cfg', 'sfDBTools_config.yaml'),
      source: 'config-dir',
      explicit: false,
    })
  })

  it("prefers the manual's SFDB_CONFIG_PATH over the real tool's SFDB_APPS_CONFIG", () => {
    const env = { SFDB_CONFIG_PATH: '/a/mine.yaml', SFDB_APPS_CONFIG: '/etc/sfDBTools/config.yaml' }
    expect(configFilePath(env, '/cfg')).toEqual({
      path: '/a/mine.yaml',
      source: 'SFDB_CONFIG_PATH',
      explicit: true,
    })
    expect(configFilePath({ SFDB_APPS_CONFIG: '/etc/sfDBTools/config.yaml' }, '/cfg')).toEqual({
      path: '/etc/sfDBTools/config.yaml',
      source: 'SFDB_APPS_CONFIG',
      explicit: true,
    })
  })

  it('reads SFDB_CONFIG_PATH naming a folder as the config folder (as configDir() does)', () => {
    expect(configFilePath({ SFDB_CONFIG_PATH: '/srv/sfdb' }, '/cfg')).toEqual({
      path: join('/srv/sfdb', CONFIG_FILE_NAME),
      source: 'SFDB_CONFIG_PATH',
      explicit: false,
    })
    // A file named by SFDB_APPS_CONFIG is more specific than a folder.
    expect(configFilePath({ SFDB_CONFIG_PATH: '/srv/sfdb', SFDB_APPS_CONFIG: '/x/c.yml' }, '/cfg').path).toBe(
      '/x/c.yml',
    )
  })
})

describe('loadAppConfig: where the file is', () => {
  it('returns an empty config (every default applies) when the default file is absent', async () => {
    const loaded = await loadAppConfig({}, dir)
    expect(loaded).toEqual({
      config: emptyAppConfig(),
      path: join(dir, CONFIG_FILE_NAME),
      found: false,
      warnings: [],
    })
    const effective = withDefaults(loaded.config)
    expect(effective.compression).toEqual({ type: 'zstd', level: 3 })
    expect(effective.encryption).toEqual({ enabled: true, hasKey: false })
    expect(effective.exclude).toEqual({
      user: false,
      systemDatabases: true,
      data: false,
      empty: false,
      databases: [],
      file: undefined,
    })
    expect(effective.cleanup).toEqual({ enabled: false, retentionDays: 0, minBackups: 3 })
    expect(effective.captureGtid).toBe(false)
    expect(effective.parallel).toBe(1)
    expect(effective.outputDir).toBeUndefined()
    expect(effective.extraDumpArgs).toEqual([])
    // primary/secondary take sfDBTools' tenants unless the file says otherwise.
    expect(effective.primaryPrefix).toBe('dbsf_nbc_')
  })

  it("an empty backup.primary_prefix is kept: it takes every name instead of the default's", async () => {
    const loaded = await load('backup:\n  primary_prefix: ""\n')
    expect(loaded.config.backup.primaryPrefix).toBe('')
    expect(withDefaults(loaded.config).primaryPrefix).toBe('')
    expect(withDefaults((await load('backup:\n  primary_prefix: " app_ "\n')).config).primaryPrefix).toBe(
      'app_',
    )
  })

  it.each(['SFDB_CONFIG_PATH', 'SFDB_APPS_CONFIG'])(
    'fails naming %s and the path when it names a missing file',
    async (name) => {
      const path = join(dir, 'nowhere', 'config.yaml')
      const e = await engineError(() => loadAppConfig({ [name]: path }, dir))
      expect(e.code).toBe('InvalidConfig')
      expect(e.message).toContain(name)
      expect(e.message).toContain(path)
    },
  )

  it('loads the file named by SFDB_APPS_CONFIG instead of the one in the config folder', async () => {
    await writeConfig(join(dir, CONFIG_FILE_NAME), 'backup:\n  parallel: 2\n')
    const other = await writeConfig(join(dir, 'config.yaml'), 'backup:\n  parallel: 5\n')
    const loaded = await loadAppConfig({ SFDB_APPS_CONFIG: other }, dir)
    expect(loaded.path).toBe(other)
    expect(loaded.found).toBe(true)
    expect(loaded.config.backup.parallel).toBe(5)
  })

  it('treats an empty or comment-only file as setting nothing', async () => {
    expect((await load('# nothing yet\n')).config).toEqual(emptyAppConfig())
    expect((await load('')).found).toBe(true)
  })

  it('reports a folder where the file should be', async () => {
    await mkdir(join(dir, CONFIG_FILE_NAME))
    const e = await engineError(() => loadAppConfig({}, dir))
    expect(e.code).toBe('InvalidConfig')
    expect(e.message).toContain('is a folder')
  })
})

describe("loadAppConfig: sfDBTools' own file", () => {
  it('loads the example config with its unrelated sections, without errors or warnings', async () => {
    const { config, warnings } = await load(REAL_TOOL_EXAMPLE)
    expect(warnings).toEqual([])
    const expected: AppConfig = {
      backup: {
        compression: { type: 'zstd', level: 5 },
        outputDir: '/media/ArchiveDB',
        structurePattern: '{year}{month}{day}/',
        saveBackupInfo: true,
        filePermissions: 0o600,
        metadataPermissions: 0o600,
        exclude: { user: false, systemDatabases: true, data: false, empty: false },
        include: { includeDmart: false },
        cleanup: { enabled: false, retentionDays: 0 },
        extraDumpArgs: [
          '-fQq',
          '--max-statement-time=0',
          '--max-allowed-packet=1G',
          '--hex-blob',
          '--order-by-primary',
          '--single-transaction',
          '--routines=true',
          '--triggers=true',
          '--opt',
          '--net-buffer-length=16M',
        ],
        encryption: { enabled: true },
        captureGtid: true,
      },
      profileDir: '/etc/sfDBTools/config/db_profile',
      logDir: '/var/log/sfDBTools',
    }
    expect(config).toEqual(expected)
  })
})

describe('loadAppConfig: names and aliases', () => {
  const cases: [string, string, (c: AppConfig) => unknown, unknown][] = [
    [
      'output.base_directory',
      'backup:\n  output:\n    base_directory: /srv/b\n',
      (c) => c.backup.outputDir,
      '/srv/b',
    ],
    ['output_dir', 'backup:\n  output_dir: /srv/b\n', (c) => c.backup.outputDir, '/srv/b'],
    ['output.directory', 'backup:\n  output:\n    directory: /srv/b\n', (c) => c.backup.outputDir, '/srv/b'],
    [
      'cleanup.retention_days',
      'backup:\n  cleanup:\n    retention_days: 14\n',
      (c) => c.backup.cleanup.retentionDays,
      14,
    ],
    ['cleanup.days', 'backup:\n  cleanup:\n    days: 14\n', (c) => c.backup.cleanup.retentionDays, 14],
    [
      'dump.binary',
      'backup:\n  dump:\n    binary: /opt/bin/mariadb-dump\n',
      (c) => c.backup.dumpBinary,
      '/opt/bin/mariadb-dump',
    ],
    [
      'mysqldump_path',
      'backup:\n  mysqldump_path: /opt/bin/mariadb-dump\n',
      (c) => c.backup.dumpBinary,
      '/opt/bin/mariadb-dump',
    ],
    [
      'include.include_dmart',
      'backup:\n  include:\n    include_dmart: true\n',
      (c) => c.backup.include.includeDmart,
      true,
    ],
    ['include_dmart', 'backup:\n  include_dmart: true\n', (c) => c.backup.include.includeDmart, true],
    ['include_temp', 'backup:\n  include_temp: true\n', (c) => c.backup.include.includeTemp, true],
    ['include_archive', 'backup:\n  include_archive: true\n', (c) => c.backup.include.includeArchive, true],
    [
      'keys in any case (viper)',
      'Backup:\n  Output:\n    Base_Directory: /srv/b\n',
      (c) => c.backup.outputDir,
      '/srv/b',
    ],
  ]
  it.each(cases)('%s', async (_name, text, get, value) => {
    const { config, warnings } = await load(text)
    expect(get(config)).toEqual(value)
    expect(warnings).toEqual([])
  })

  it('accepts two names of one setting when they agree', async () => {
    const { config } = await load(
      'backup:\n  output_dir: /b\n  output:\n    base_directory: /b\n  cleanup:\n    days: 3\n    retention_days: 3\n',
    )
    expect(config.backup.outputDir).toBe('/b')
    expect(config.backup.cleanup.retentionDays).toBe(3)
  })

  it('normalizes compression: type case, enabled: false, an empty type', async () => {
    expect(
      (await load('backup:\n  compression:\n    type: PGZIP\n    level: 9\n')).config.backup.compression,
    ).toEqual({
      type: 'pgzip',
      level: 9,
    })
    const off = await load('backup:\n  compression:\n    type: zstd\n    enabled: false\n')
    expect(off.config.backup.compression.type).toBe('none')
    expect((await load('backup:\n  compression:\n    type: ""\n')).config.backup.compression.type).toBe(
      'none',
    )
    expect((await load('backup:\n  compression:\n    level: 19\n')).config.backup.compression.level).toBe(19)
  })

  it('joins mysqldump_args (split on whitespace) and dump.extra_args into one list', async () => {
    const text =
      'backup:\n  dump:\n    extra_args: ["--skip-lock-tables", "--where=id > 5"]\n  mysqldump_args: "  -f   --hex-blob "\n'
    expect((await load(text)).config.backup.extraDumpArgs).toEqual([
      '-f',
      '--hex-blob',
      '--skip-lock-tables',
      '--where=id > 5',
    ])
  })

  it('reads octal modes quoted or not, lists, patterns, the prefix and paths', async () => {
    const { config } = await load(
      [
        'backup:',
        '  output:',
        '    file_permissions: "0640"',
        '    metadata_permissions: 0600',
        '    name_pattern: "{db}_{date}_{time}_{ticket}"',
        '  exclude:',
        '    databases: [a, b]',
        '    file: /etc/sfdb/exclude.txt',
        '  include:',
        '    databases:',
        '      - dbsf_nbc_x',
        '  primary_prefix: dbsf_nbc_',
        '  parallel: 4',
        '  cleanup:',
        '    schedule: "0 2 * * *"',
        '    min_backups: 0',
        '',
      ].join('\n'),
    )
    expect(config.backup.filePermissions).toBe(0o640)
    expect(config.backup.metadataPermissions).toBe(0o600)
    expect(config.backup.namePattern).toBe('{db}_{date}_{time}_{ticket}')
    expect(config.backup.exclude).toEqual({ databases: ['a', 'b'], file: '/etc/sfdb/exclude.txt' })
    expect(config.backup.include.databases).toEqual(['dbsf_nbc_x'])
    expect(config.backup.primaryPrefix).toBe('dbsf_nbc_')
    expect(config.backup.parallel).toBe(4)
    expect(config.backup.cleanup).toEqual({ minBackups: 0 })
  })

  it('reads the preset name patterns case-insensitively', async () => {
    expect((await load('backup:\n  output:\n    name_pattern: SFDBTools\n')).config.backup.namePattern).toBe(
      'sfdbtools',
    )
  })
})
