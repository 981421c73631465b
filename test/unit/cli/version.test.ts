/** `sfdbtools --version`'s text: the app, the runtime (Electron and Chromium only under Electron), the programs. */
import { describe, expect, it } from 'vitest'
import { runtimeVersions, type DetectedProgram } from '../../../shared/versions.ts'
import { programLine, versionText } from '../../../electron/cli/version.ts'

const dump: DetectedProgram = {
  role: 'dump',
  candidates: ['mariadb-dump', 'mysqldump'],
  path: '/usr/bin/mariadb-dump',
  version: '10.11.19',
  flavor: 'mariadb',
  problem: null,
}
const client: DetectedProgram = {
  role: 'client',
  candidates: ['mariadb', 'mysql'],
  path: null,
  version: null,
  flavor: null,
  problem: null,
}

describe('sfdbtools --version text', () => {
  it('on plain Node: the app, Node, and each program with its version and path, or not found', () => {
    const runtime = runtimeVersions({ node: '24.21.0', v8: '13.6' })
    expect(runtime).toEqual({ node: '24.21.0', electron: null, chromium: null })
    expect(versionText('0.1.0', runtime, [dump, client]).split('\n')).toEqual([
      'sfdbtools 0.1.0',
      'Node.js 24.21.0',
      'dump binary: mariadb-dump 10.11.19 (MariaDB) /usr/bin/mariadb-dump',
      'SQL client: not found (neither mariadb nor mysql is on PATH)',
    ])
  })

  it('under Electron (ELECTRON_RUN_AS_NODE) also Electron and Chromium', () => {
    const runtime = runtimeVersions({ node: '22.20.0', electron: '45.4.1', chrome: '140.0.7339.249' })
    expect(versionText('0.1.0', runtime, []).split('\n')).toEqual([
      'sfdbtools 0.1.0',
      'Node.js 22.20.0',
      'Electron 45.4.1',
      'Chromium 140.0.7339.249',
    ])
  })

  it('a MySQL program, a Windows .exe, and one whose --version failed', () => {
    expect(
      programLine({ ...dump, path: 'C:\\mysql\\bin\\mysqldump.exe', version: '8.4.3', flavor: 'mysql' }),
    ).toBe('dump binary: mysqldump 8.4.3 (MySQL) C:\\mysql\\bin\\mysqldump.exe')
    expect(
      programLine({
        ...client,
        path: '/opt/bin/mariadb',
        problem: 'cannot read the version of /opt/bin/mariadb',
      }),
    ).toBe(
      'SQL client: mariadb /opt/bin/mariadb (version unknown: cannot read the version of /opt/bin/mariadb)',
    )
  })
})
