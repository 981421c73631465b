import { describe, expect, it } from 'vitest'
import { gtidDumpArgs, gtidFileText, parseGtidHeader } from '../../../electron/engine/backup/gtid.ts'

describe('GTID capture from the dump header', () => {
  it('reads MariaDB coordinates (--master-data=2 --gtid)', () => {
    const head = [
      '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)',
      '--',
      '-- Position to start replication or point-in-time recovery from',
      '--',
      '',
      "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000003', MASTER_LOG_POS=4521;",
      '',
      '--',
      '-- GTID to start replication from',
      '--',
      '',
      "-- SET GLOBAL gtid_slave_pos='0-1-48213377';",
    ].join('\n')
    expect(parseGtidHeader(head)).toEqual({
      executed: '0-1-48213377',
      purged: null,
      binlog_file: 'mysql-bin.000003',
      binlog_position: 4521,
    })
  })

  it('reads MySQL 8 coordinates (--source-data=2, a GTID set over several lines)', () => {
    const head = [
      "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000002', SOURCE_LOG_POS=157;",
      "/* SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,",
      "9bd0d8a9-9c4e-11ee-8a5e-0242ac110002:1-77'; */",
    ].join('\n')
    expect(parseGtidHeader(head)).toEqual({
      executed: '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,9bd0d8a9-9c4e-11ee-8a5e-0242ac110002:1-77',
      purged: null,
      binlog_file: 'binlog.000002',
      binlog_position: 157,
    })
  })

  it('null when the header has no coordinates', () => {
    expect(parseGtidHeader('-- MariaDB dump\n-- Host: x\n')).toBeNull()
  })

  it('asks each dump flavor for its own options', () => {
    expect(gtidDumpArgs({ flavor: 'mariadb', version: '10.11.6' })).toEqual(['--master-data=2', '--gtid'])
    expect(gtidDumpArgs({ flavor: 'mysql', version: '8.4.0' })).toEqual([
      '--source-data=2',
      '--set-gtid-purged=COMMENTED',
    ])
    expect(gtidDumpArgs({ flavor: 'mysql', version: '8.0.20' })).toEqual([
      '--master-data=2',
      '--set-gtid-purged=COMMENTED',
    ])
    expect(gtidDumpArgs({ flavor: 'mysql', version: '5.7.44' })).toEqual(['--master-data=2'])
  })

  it('writes the manual .gtid file with every coordinate', () => {
    const text = gtidFileText(
      { executed: '0-1-9', purged: null, binlog_file: 'mysql-bin.000001', binlog_position: 77 },
      'x.sql.zst',
      new Date(2026, 10, 21, 9, 5, 3),
    )
    expect(text).toContain('# Generated at: 2026-11-21 09:05:03')
    expect(text).toContain('MASTER_LOG_FILE = mysql-bin.000001\nMASTER_LOG_POS = 77\ngtid_binlog = 0-1-9\n')
    expect(text).toContain('gtid_purged = (not available)')
  })
})
