/** A preset as `sfdbtools backup` arguments (schedule run-due): its request, copies and notifications. */
import { describe, expect, it } from 'vitest'
import { presetBackupArgv } from '../../../electron/cli/schedule/preset-argv.ts'
import { backupRequest } from '../../harness/backup-request.ts'

describe('presetBackupArgv', () => {
  const request = backupRequest({
    profile: 'prod',
    databases: ['shop'],
    ticket: 'CHG-1',
    outputDir: '/srv/b',
  })

  it('gives the request as flags with values attached', () => {
    const argv = presetBackupArgv({ request })
    expect(argv).toEqual(expect.arrayContaining(['--profile=prod', '--db=shop', '--ticket=CHG-1']))
    expect(argv.some((a) => a.startsWith('--copy-to') || a.startsWith('--notify'))).toBe(false)
  })

  it("adds the preset's and the request's destinations once each, and its channels with when", () => {
    const argv = presetBackupArgv({
      request: { ...request, copyTo: ['nas', 's3'] },
      copyTo: ['nas'],
      notify: { channels: ['ops-mail', 'slack'], on: 'always' },
    })
    expect(argv.filter((a) => a.startsWith('--copy-to'))).toEqual(['--copy-to=nas', '--copy-to=s3'])
    expect(argv.filter((a) => a.startsWith('--notify'))).toEqual([
      '--notify=ops-mail',
      '--notify=slack',
      '--notify-on=always',
    ])
  })

  it('a preset without channels sends nothing', () => {
    const argv = presetBackupArgv({ request, notify: { channels: [], on: 'failure' } })
    expect(argv.some((a) => a.startsWith('--notify'))).toBe(false)
  })
})
