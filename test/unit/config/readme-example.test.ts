import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAppConfig } from '../../../electron/engine/config/index.ts'

describe('the README configuration example', () => {
  it('is valid, raises no warning and sets what it says', async () => {
    const readme = await readFile(resolve(import.meta.dirname, '../../../README.md'), 'utf8')
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    expect(yaml).toContain('backup:')
    const { config, warnings } = parseAppConfig(yaml, 'README.md')
    expect(warnings).toEqual([])
    expect(config.backup.cleanup).toEqual({ enabled: true, retentionDays: 14, minBackups: 3 })
    expect(config.backup.outputDir).toBe('/backups')
    expect(config.backup.dumpBinary).toBe('/usr/bin/mariadb-dump')
    expect(config.backup.extraDumpArgs).toEqual(['--max-allowed-packet=1G'])
    expect(config.backup.captureGtid).toBe(true)
    expect(config.backup.primaryPrefix).toBe('dbsf_nbc_')
    expect(config.logDir).toBe('/var/log/sfdbtools')
    expect(config.clientBinary).toBe('/usr/bin/mariadb')
  })
})
