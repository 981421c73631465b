/**
 * The package check (`npm run package:check`, part of `npm test`; docs/packaging.md): electron-builder packs
 * the built app for Linux (`--linux dir`) over a stand-in Electron (the real binary cannot be downloaded
 * here), then
 *  - app.asar's file list: every runtime file, no sources, source maps, tests or devDependencies, every
 *    native addon unpacked (package-layout.ts);
 *  - the packed tree, extracted to a folder with no node_modules above it and run on plain Node (what
 *    ELECTRON_RUN_AS_NODE makes of the app's binary): the CLI's --version, a real encrypted xz backup (the
 *    native lzma addon) against the private server and its verify, the same file verified again in a job
 *    process of the packed job entry, and the keychain addon loaded — any runtime dependency the package
 *    lacks fails here;
 *  - the installers' command-line wrappers and the deb/rpm settings, read from electron-builder.yml (the deb
 *    itself needs fpm, which electron-builder downloads: built only in CI).
 * It proves the configuration and the archive, not a runnable Electron app.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { extractAll } from '@electron/asar'
import type mysql from 'mysql2/promise'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { ROOT } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { layoutProblems, listArchive, type PackedFile } from './package-layout.ts'

const run = promisify(execFile)

interface BuilderConfig {
  productName: string
  linux: { executableName: string }
  win: { executableName: string; extraFiles: { from: string; to: string }[] }
  nsis: Record<string, unknown>
  mac: Record<string, unknown>
  deb: { depends: string[]; recommends: string[]; fpm: string[] }
  rpm: { depends: string[]; fpm: string[] }
}

/** Every file under `dir`, as archive-style paths below `prefix` (`/out/main/cli.js`). */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile())
      found.push(`${prefix}/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')}`)
  return found
}

/** An unpacked Electron layout without Electron in it: enough for electron-builder's `dir` target. */
async function standInElectron(dir: string): Promise<string> {
  const version = (
    JSON.parse(await readFile(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string
    }
  ).version
  await mkdir(join(dir, 'resources'), { recursive: true })
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "a stand-in, not Electron" >&2\nexit 1\n')
  await chmod(join(dir, 'electron'), 0o755)
  await writeFile(join(dir, 'version'), `v${version}`)
  for (const name of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox'])
    await writeFile(join(dir, name), '')
  return dir
}

describe('the packed app (electron-builder --linux dir)', () => {
  const server = inject('mariadb')
  let work: string
  let appDir: string // the packed app folder (…/linux-unpacked)
  let extracted: string // app.asar extracted, app.asar.unpacked merged in
  let builderLog = ''
  let packSeconds = 0
  let config: BuilderConfig
  let conn: mysql.Connection

  beforeAll(async () => {
    config = parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig
    if (!existsSync(join(ROOT, 'out/main/cli.js')))
      await run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
        cwd: ROOT,
      })
    work = await mkdtemp(join(tmpdir(), 'sfdb-package-'))
    const electronDist = await standInElectron(join(work, 'electron-dist'))
    const output = join(work, 'dist')
    const started = performance.now()
    const packed = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: ROOT, env: { ...process.env, CI: '1' }, maxBuffer: 16 << 20 },
    )
    packSeconds = (performance.now() - started) / 1000
    builderLog = packed.stdout + packed.stderr
    appDir = join(output, process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`)
    extracted = join(work, 'extracted', 'app')
    extractAll(join(appDir, 'resources', 'app.asar'), extracted)
    conn = await connectRoot(server)
  })

  afterAll(async () => {
    await conn?.end()
  })

  it('packs in time and says that Linux packages are not signed', () => {
    console.log(`electron-builder --linux dir: ${packSeconds.toFixed(1)} s`)
    expect(builderLog).toContain('Linux packages are not code-signed')
    expect(existsSync(join(appDir, config.linux.executableName))).toBe(true)
  })

  it('app.asar holds what runs and nothing else; native addons are unpacked', async () => {
    const files: PackedFile[] = listArchive(join(appDir, 'resources', 'app.asar'))
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>
    }
    const problems = layoutProblems({
      files,
      unpackedOnDisk: await filesUnder(join(appDir, 'resources', 'app.asar.unpacked')),
      built: await filesUnder(join(ROOT, 'out'), '/out'),
      dependencies: pkg.dependencies,
      lock: lock.packages,
      bundled: ['mysql2', 'zod', 'yaml'],
      buildOnly: ['node-addon-api'],
      platform: 'linux',
      arch: process.arch,
    })
    expect(problems).toEqual([])
    // The packed package.json is electron-builder's trimmed copy: no scripts, no devDependencies.
    const packedPkg = JSON.parse(await readFile(join(extracted, 'package.json'), 'utf8')) as object
    expect(packedPkg).not.toHaveProperty('devDependencies')
    expect(packedPkg).not.toHaveProperty('scripts')
    // The tray icons, next to the archive (process.resourcesPath/tray).
    const tray = await readdir(join(ROOT, 'resources', 'tray'))
    expect((await readdir(join(appDir, 'resources', 'tray'))).sort()).toEqual(tray.sort())
    const size = (await filesUnder(appDir)).length
    expect(size).toBeGreaterThan(0)
  })

  it('the extracted tree has no node_modules above it (a missing dependency cannot be found elsewhere)', () => {
    for (let dir = dirname(extracted); dir !== dirname(dir); dir = dirname(dir))
      expect(existsSync(join(dir, 'node_modules')), dir).toBe(false)
  })

  /** Runs the packed CLI on plain Node, as the installed wrapper runs it on the app's binary. */
  const packedCli = async (
    args: string[],
    env: Record<string, string>,
    input = '',
  ): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const child = spawn(process.execPath, [join(extracted, 'out', 'main', 'cli.js'), ...args], {
      cwd: dirname(extracted),
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.end(input)
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    return { code, stdout, stderr }
  }

  it('the packed CLI and job entry back up (encrypted, xz) and verify against a real server', async () => {
    const version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version
    const sandbox = join(work, 'cli')
    const env = { SFDB_CONFIG_PATH: join(sandbox, 'config'), TMPDIR: join(sandbox, 'tmp') }
    await mkdir(env.TMPDIR, { recursive: true })

    const shown = await packedCli(['--version'], env)
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout.split('\n')[0]).toContain(version)

    await createSampleDatabase(conn, 'packed_shop', { rows: 200 })
    const user = 'bk_packed'
    const password = trickyPassword()
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password])
    await conn.query(
      `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
      [user],
    )
    const keys = {
      SFDB_PROFILE_KEY: `profile key ${randomBytes(4).toString('hex')}`,
      SFDB_BACKUP_ENCRYPTION_KEY: `backup key ${randomBytes(4).toString('hex')}`,
    }
    const created = await packedCli(
      ['profile', 'create', '--name', 'packed', '--host', server.host, '--port', String(server.port)].concat([
        '--user',
        user,
        '--password-stdin',
      ]),
      { ...env, ...keys },
      `${password}\n`,
    )
    expect(created.code, created.stderr).toBe(0)

    const outDir = join(sandbox, 'backups')
    const backup = await packedCli(
      ['backup', 'single', '--profile', 'packed', '--db', 'packed_shop', '--ticket', 'PKG-1'].concat([
        '--compress-type',
        'xz',
        '--output-dir',
        outDir,
        '--json',
      ]),
      { ...env, ...keys },
    )
    expect(backup.stderr).not.toContain('internal error')
    expect(backup.code, backup.stderr).toBe(0)
    const result = JSON.parse(backup.stdout) as BackupResult
    const file = result.targets[0]?.file ?? ''
    expect(result.ok).toBe(true)
    expect(file).toMatch(/packed_shop_\d{8}_\d{6}_PKG1\.sql\.xz\.enc$/)
    expect((await stat(file)).size).toBeGreaterThan(0)

    const verified = await packedCli(['verify', file], { ...env, ...keys })
    expect(verified.code, verified.stderr + verified.stdout).toBe(0)

    // The app's way: a job process of the packed job entry (Electron's utility process there).
    const jobs = createJobSupervisor({
      forkJob: createNodeForker(join(extracted, 'out', 'main', 'backup-job.js'), { output: 'ignore' }),
      onEvent: () => {},
    })
    const jobId = jobs.startVerify({ file, keys: [keys.SFDB_BACKUP_ENCRYPTION_KEY] })
    const end = await jobs.whenVerified(jobId)
    expect(end?.outcome).toMatchObject({ kind: 'done', report: { ok: true } })
  })

  it('the keychain addon loads from the packed tree', async () => {
    const script =
      `const { createRequire } = require('node:module');` +
      `const keyring = createRequire(${JSON.stringify(join(extracted, 'out', 'main', 'cli.js'))})('@napi-rs/keyring');` +
      `if (typeof keyring.Entry !== 'function') process.exit(1)`
    const loaded = await run(process.execPath, ['-e', script], { cwd: dirname(extracted) })
    expect(loaded.stderr).toBe('')
  })

  it('the command-line wrappers point at the installed app; the deb and rpm declare their dependencies', async () => {
    // deb and rpm: /usr/bin/sfdbtools, the app's binary as Node on the CLI in the archive.
    expect(config.deb.fpm).toContain('resources/linux/sfdbtools=/usr/bin/sfdbtools')
    expect(config.rpm.fpm).toContain('resources/linux/sfdbtools=/usr/bin/sfdbtools')
    const wrapper = await readFile(join(ROOT, 'resources/linux/sfdbtools'), 'utf8')
    expect(wrapper).toContain(`app_dir='/opt/${config.productName}'`)
    expect(wrapper).toContain(
      `exec "$app_dir/${config.linux.executableName}" "$app_dir/resources/app.asar/out/main/cli.js" "$@"`,
    )
    expect(wrapper).toMatch(/^ELECTRON_RUN_AS_NODE=1$/m)
    expect((await stat(join(ROOT, 'resources/linux/sfdbtools'))).mode & 0o111).toBe(0o111)
    await run('sh', ['-n', join(ROOT, 'resources/linux/sfdbtools')])
    // The packed layout has what the wrapper runs.
    expect(existsSync(join(appDir, config.linux.executableName))).toBe(true)
    expect(existsSync(join(appDir, 'resources', 'app.asar'))).toBe(true)
    expect(existsSync(join(extracted, 'out', 'main', 'cli.js'))).toBe(true)

    expect(config.deb.depends).toContain('libsecret-1-0')
    expect(config.deb.recommends).toContain('mariadb-client | default-mysql-client')
    expect(config.rpm.depends).toContain('libsecret')

    // Windows: sfdbtools.cmd beside the app's executable.
    expect(config.win.extraFiles).toContainEqual({ from: 'resources/win/sfdbtools.cmd', to: 'sfdbtools.cmd' })
    const cmd = await readFile(join(ROOT, 'resources/win/sfdbtools.cmd'), 'utf8')
    expect(cmd).toContain(
      `"%~dp0${config.win.executableName}.exe" "%~dp0resources\\app.asar\\out\\main\\cli.js" %*`,
    )
    expect(cmd).toMatch(/^set ELECTRON_RUN_AS_NODE=1\r$/m)
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true })
    expect(config.nsis).toMatchObject({
      deleteAppDataOnUninstall: false,
      include: 'resources/installer/installer.nsh',
    })
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'resources/entitlements.mac.plist',
    })
  })
})
