/**
 * `sfdbtools --version` of the BUILT CLI with the REAL mariadb-dump and mariadb of this machine: the app's
 * version, Node's, and each program's path and version as the programs themselves say it; "not found"
 * on a PATH without them; a program whose --version fails is named with "version unknown".
 */
import { execFileSync } from 'node:child_process'
import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import pkg from '../../package.json' with { type: 'json' }
import { parseClientVersion, which } from '../../electron/engine/dump/client-program.ts'
import { runCli } from '../harness/cli.ts'

/** What the program found first on PATH says about itself. */
function installed(names: [string, string]): { name: string; path: string; version: string } {
  const pathEnv = process.env.PATH ?? ''
  for (const name of names) {
    const path = which(name, pathEnv)
    if (path === null) continue
    const { version } = parseClientVersion(execFileSync(path, ['--version'], { encoding: 'utf8' }))
    return { name, path, version }
  }
  throw new Error(`neither ${names.join(' nor ')} is installed: scripts/setup.sh installs mariadb-client`)
}

describe('sfdbtools --version', () => {
  it('prints the app, Node and the real dump binary and SQL client with their versions', async () => {
    const dump = installed(['mariadb-dump', 'mysqldump'])
    const client = installed(['mariadb', 'mysql'])
    expect(dump.version).toMatch(/^\d+\.\d+\.\d+$/)
    for (const flag of ['--version', '-v', 'version']) {
      const run = await runCli([flag])
      expect(run.code).toBe(0)
      expect(run.stderr).toBe('')
      expect(run.stdout.trimEnd().split('\n')).toEqual([
        `sfdbtools ${pkg.version}`,
        `Node.js ${process.versions.node}`,
        `dump binary: ${dump.name} ${dump.version} (MariaDB) ${dump.path}`,
        `SQL client: ${client.name} ${client.version} (MariaDB) ${client.path}`,
      ])
    }
  })

  it('says "not found" for programs that are not on PATH, and names one whose --version fails', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sfdb-version-path-'))
    const run = await runCli(['--version'], { env: { PATH: empty } })
    expect(run.code).toBe(0)
    expect(run.stdout.trimEnd().split('\n').slice(2)).toEqual([
      'dump binary: not found (neither mariadb-dump nor mysqldump is on PATH)',
      'SQL client: not found (neither mariadb nor mysql is on PATH)',
    ])

    const broken = join(empty, 'mariadb-dump')
    await writeFile(broken, '#!/bin/sh\necho "no version today" >&2\nexit 3\n')
    await chmod(broken, 0o755)
    const withBroken = await runCli(['--version'], { env: { PATH: empty } })
    expect(withBroken.code).toBe(0)
    expect(withBroken.stdout).toContain(
      `dump binary: mariadb-dump ${broken} (version unknown: cannot read the version of ${broken}`,
    )
  })
})
