import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseAppConfig,
  resolveBackupSettings,
  type BackupFlags,
  type BackupSettings,
  type Env,
  type Setting,
} from '../../../electron/engine/config/index.ts'
import { engineError } from './config-fixtures.ts'

const CONFIG_DIR = '/home/dba/.config/sfdbtools'
const configOf = (yaml: string) => parseAppConfig(yaml, '/cfg/sfDBTools_config.yaml').config

function resolve(flags: BackupFlags = {}, env: Env = {}, yaml = ''): BackupSettings {
  return resolveBackupSettings({
    flags,
    env,
    config: configOf(yaml),
    configPath: '/cfg/sfDBTools_config.yaml',
    configDir: CONFIG_DIR,
  })
}

interface Row {
  name: string
  get: (s: BackupSettings) => Setting<unknown>
  flag?: { flags: BackupFlags; value: unknown }
  env?: { env: Env; value: unknown }
  config?: { yaml: string; value: unknown }
  default: unknown
}

const rows: Row[] = [
  {
    name: 'outputDir',
    get: (s) => s.outputDir,
    flag: { flags: { outputDir: '/f' }, value: '/f' },
    env: { env: { SFDB_OUTPUT_DIR: '/e' }, value: '/e' },
    config: { yaml: 'backup:\n  output:\n    base_directory: /c\n', value: '/c' },
    default: join(CONFIG_DIR, 'backup'),
  },
  {
    name: 'compression type',
    get: (s) => s.compression.type,
    flag: { flags: { compressType: 'GZIP' }, value: 'gzip' },
    config: { yaml: 'backup:\n  compression:\n    type: xz\n', value: 'xz' },
    default: 'zstd',
  },
  {
    name: 'compression level',
    get: (s) => s.compression.level,
    flag: { flags: { compressLevel: 7 }, value: 7 },
    config: { yaml: 'backup:\n  compression:\n    level: 5\n', value: 5 },
    default: 3,
  },
  {
    name: 'encrypt',
    get: (s) => s.encrypt,
    flag: { flags: { encrypt: true }, value: true },
    config: { yaml: 'backup:\n  encryption:\n    enabled: false\n', value: false },
    default: true,
  },
  {
    name: 'profile (manual env name)',
    get: (s) => s.profile,
    flag: { flags: { profile: 'prod' }, value: 'prod' },
    env: {
      env: { SFDB_PROFILE_PATH: '/p/a.cnf.enc', SFDB_SOURCE_PROFILE: '/p/b.cnf.enc' },
      value: '/p/a.cnf.enc',
    },
    default: undefined,
  },
  {
    name: "profile (real tool's env name)",
    get: (s) => s.profile,
    flag: { flags: { profile: 'prod' }, value: 'prod' },
    env: { env: { SFDB_SOURCE_PROFILE: '/p/b.cnf.enc' }, value: '/p/b.cnf.enc' },
    default: undefined,
  },
  {
    name: 'profileDir',
    get: (s) => s.profileDir,
    config: {
      yaml: 'config_dir:\n  database_profile: /etc/sfDBTools/config/db_profile\n',
      value: '/etc/sfDBTools/config/db_profile',
    },
    default: join(CONFIG_DIR, 'database_profile'),
  },
  {
    name: 'logLevel',
    get: (s) => s.logLevel,
    flag: { flags: { logLevel: 'debug' }, value: 'debug' },
    env: { env: { SFDB_LOG_LEVEL: 'WARN' }, value: 'warn' },
    default: 'info',
  },
  {
    name: 'quiet',
    get: (s) => s.quiet,
    flag: { flags: { quiet: false }, value: false },
    env: { env: { SFDB_QUIET: '1' }, value: true },
    default: false,
  },
  {
    name: 'excludeSystem',
    get: (s) => s.excludeSystem,
    flag: { flags: { excludeSystem: true }, value: true },
    config: { yaml: 'backup:\n  exclude:\n    system_databases: false\n', value: false },
    default: true,
  },
  ...(
    [
      ['excludeUser', 'exclude:\n    user', (s: BackupSettings) => s.excludeUser],
      ['excludeData', 'exclude:\n    data', (s: BackupSettings) => s.excludeData],
      ['excludeEmpty', 'exclude:\n    empty', (s: BackupSettings) => s.excludeEmpty],
      ['captureGtid', 'replication:\n    capture_gtid', (s: BackupSettings) => s.captureGtid],
      ['includeDmart', 'include:\n    include_dmart', (s: BackupSettings) => s.includeDmart],
      ['cleanupEnabled', 'cleanup:\n    enabled', (s: BackupSettings) => s.cleanup.enabled],
    ] as const
  ).map(([flag, key, get]): Row => ({
    name: flag,
    get,
    flag: { flags: { [flag]: false }, value: false },
    config: { yaml: `backup:\n  ${key}: true\n`, value: true },
    default: false,
  })),
  {
    name: 'parallel',
    get: (s) => s.parallel,
    flag: { flags: { parallel: 4 }, value: 4 },
    config: { yaml: 'backup:\n  parallel: 2\n', value: 2 },
    default: 1,
  },
  {
    name: 'lockWaitTimeout',
    get: (s) => s.lockWaitTimeout,
    config: { yaml: 'backup:\n  dump:\n    lock_wait_timeout: 30\n', value: 30 },
    default: 300,
  },
  {
    name: 'namePattern',
    get: (s) => s.namePattern,
    flag: { flags: { namePattern: '{db}_{date}' }, value: '{db}_{date}' },
    config: { yaml: 'backup:\n  output:\n    name_pattern: sfdbtools\n', value: 'sfdbtools' },
    default: 'default',
  },
  {
    name: 'dumpBinary',
    get: (s) => s.dumpBinary,
    flag: { flags: { dumpBinary: '/f/mariadb-dump' }, value: '/f/mariadb-dump' },
    config: { yaml: 'backup:\n  mysqldump_path: /c/mysqldump\n', value: '/c/mysqldump' },
    default: undefined,
  },
  {
    name: 'extraDumpArgs',
    get: (s) => s.extraDumpArgs,
    flag: { flags: { extraDumpArgs: ['--skip-opt'] }, value: ['--skip-opt'] },
    config: { yaml: 'backup:\n  mysqldump_args: "--hex-blob --opt"\n', value: ['--hex-blob', '--opt'] },
    default: [],
  },
  {
    name: 'includeDatabases',
    get: (s) => s.includeDatabases,
    flag: { flags: { includeDatabases: ['f1'] }, value: ['f1'] },
    config: { yaml: 'backup:\n  include:\n    databases: [c1, c2]\n', value: ['c1', 'c2'] },
    default: [],
  },
  {
    name: 'includeFile',
    get: (s) => s.includeFile,
    flag: { flags: { includeFile: '/f/in.txt' }, value: '/f/in.txt' },
    config: { yaml: 'backup:\n  include:\n    file: /c/in.txt\n', value: '/c/in.txt' },
    default: undefined,
  },
  {
    name: 'excludeDatabases',
    get: (s) => s.excludeDatabases,
    flag: { flags: { excludeDatabases: ['f1'] }, value: ['f1'] },
    config: { yaml: 'backup:\n  exclude:\n    databases: [c1]\n', value: ['c1'] },
    default: [],
  },
  {
    name: 'excludeFile',
    get: (s) => s.excludeFile,
    flag: { flags: { excludeFile: '/f/ex.txt' }, value: '/f/ex.txt' },
    config: { yaml: 'backup:\n  exclude:\n    file: /c/ex.txt\n', value: '/c/ex.txt' },
    default: undefined,
  },
  {
    name: 'cleanup.retentionDays',
    get: (s) => s.cleanup.retentionDays,
    flag: { flags: { retentionDays: 30 }, value: 30 },
    config: { yaml: 'backup:\n  cleanup:\n    days: 7\n', value: 7 },
    default: 0,
  },
  {
    name: 'cleanup.minBackups',
    get: (s) => s.cleanup.minBackups,
    flag: { flags: { minBackups: 10 }, value: 10 },
    config: { yaml: 'backup:\n  cleanup:\n    min_backups: 5\n', value: 5 },
    default: 3,
  },
]

describe('resolveBackupSettings: flag > env > config > default', () => {
  it.each(rows)('$name', (row) => {
    const flags = row.flag?.flags ?? {}
    const env = row.env?.env ?? {}
    const yaml = row.config?.yaml ?? ''
    const seen = (s: BackupSettings) => {
      const setting = row.get(s)
      return { value: setting.value, source: setting.source }
    }
    if (row.flag) expect(seen(resolve(flags, env, yaml))).toEqual({ value: row.flag.value, source: 'flag' })
    if (row.env) expect(seen(resolve({}, env, yaml))).toEqual({ value: row.env.value, source: 'env' })
    if (row.config) expect(seen(resolve({}, {}, yaml))).toEqual({ value: row.config.value, source: 'config' })
    expect(seen(resolve())).toEqual({ value: row.default, source: 'default' })
  })

  it('names where a value came from', () => {
    const s = resolve({ parallel: 2 }, { SFDB_OUTPUT_DIR: '/e' }, 'backup:\n  cleanup:\n    days: 3\n')
    expect(s.parallel.origin).toBe('--parallel')
    expect(s.outputDir.origin).toBe('SFDB_OUTPUT_DIR')
    expect(s.cleanup.retentionDays.origin).toBe('backup.cleanup.retention_days')
    expect(s.excludeSystem.origin).toBe('default')
  })

  it('treats blank env values as unset', () => {
    expect(resolve({}, { SFDB_OUTPUT_DIR: '', SFDB_LOG_LEVEL: ' ', SFDB_QUIET: '' }).outputDir.source).toBe(
      'default',
    )
  })
})

describe('resolveBackupSettings: compression type and level together', () => {
  it('gives a type from elsewhere its own default level', () => {
    const s = resolve({ compressType: 'gzip' })
    expect(s.compression.level).toMatchObject({ value: 6, source: 'default' })
  })

  it('takes the level from the config with the type from a flag, when it fits', () => {
    const s = resolve({ compressType: 'gzip' }, {}, 'backup:\n  compression:\n    level: 4\n')
    expect(s.compression.type.value).toBe('gzip')
    expect(s.compression.level).toMatchObject({ value: 4, source: 'config' })
  })

  it('refuses a config level that does not fit the flag type, naming both origins', async () => {
    const e = await engineError(() =>
      resolve({ compressType: 'gzip' }, {}, 'backup:\n  compression:\n    type: zstd\n    level: 15\n'),
    )
    expect(e.code).toBe('InvalidInput')
    expect(e.message).toContain('--compress-type')
    expect(e.message).toContain('backup.compression.level')
  })

  it('means level 0 for none, from a flag or from compression.enabled: false', () => {
    expect(resolve({ compressType: 'NONE', compressLevel: 9 }).compression.level.value).toBe(0)
    const off = resolve({}, {}, 'backup:\n  compression:\n    enabled: false\n    level: 4\n')
    expect(off.compression.type).toMatchObject({ value: 'none', source: 'config' })
    expect(off.compression.level.value).toBe(0)
  })

  it('refuses an unknown flag type', async () => {
    expect((await engineError(() => resolve({ compressType: 'brotli' }))).message).toContain('brotli')
  })
})

describe('resolveBackupSettings: invalid flags and env values', () => {
  it.each(['verbose', 'trace', '3'])('refuses SFDB_LOG_LEVEL=%s, listing the levels', async (value) => {
    const e = await engineError(() => resolve({}, { SFDB_LOG_LEVEL: value }))
    expect(e.code).toBe('InvalidInput')
    expect(e.message).toBe(`SFDB_LOG_LEVEL must be one of debug, info, warn, error (got "${value}")`)
  })

  it('refuses SFDB_QUIET values that are neither true nor false', async () => {
    expect((await engineError(() => resolve({}, { SFDB_QUIET: 'maybe' }))).message).toContain('SFDB_QUIET')
    expect(resolve({}, { SFDB_QUIET: 'TRUE' }).quiet.value).toBe(true)
    expect(resolve({}, { SFDB_QUIET: '0' }).quiet.value).toBe(false)
  })

  it('refuses bad flag numbers and name patterns', async () => {
    expect((await engineError(() => resolve({ parallel: 0 }))).message).toContain('--parallel')
    expect((await engineError(() => resolve({ retentionDays: -1 }))).message).toContain('--retention-days')
    expect((await engineError(() => resolve({ namePattern: 'a/{db}' }))).message).toContain('--name-pattern')
    expect((await engineError(() => resolve({ logLevel: 'loud' }))).message).toContain('--log-level')
  })
})

describe('resolveBackupSettings: the config key', () => {
  it('is offered as a source with the file named, and appears in no other setting', () => {
    const secret = 'Config-Held-Backup-Key'
    const s = resolve({}, {}, `backup:\n  encryption:\n    key: "${secret}"\n`)
    expect(s.configKey).toEqual({
      key: secret,
      source: 'backup.encryption.key in /cfg/sfDBTools_config.yaml',
    })
    const { configKey: _key, ...rest } = s
    expect(JSON.stringify(rest)).not.toContain(secret)
    expect(resolve().configKey).toBeNull()
  })
})
