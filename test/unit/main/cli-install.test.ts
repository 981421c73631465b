import { execFile } from 'node:child_process'
import { chmod, copyFile, link, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  CLI_SCRIPT_MARK,
  cliInstallAction,
  cliInstallOffered,
  cliWrapperScript,
  installCommandLineTool,
  nodeCliInstallFs,
  type CliInstallFs,
  type CliInstallPlatform,
} from '../../../electron/main/cli-install.ts'

const run = promisify(execFile)

const mac = (home: string, extra: Partial<CliInstallPlatform> = {}): CliInstallPlatform => ({
  platform: 'darwin',
  env: { PATH: '/usr/bin:/bin' },
  home,
  execPath: '/Applications/sfDBTools Desktop.app/Contents/MacOS/sfDBTools Desktop',
  resourcesPath: '/Applications/sfDBTools Desktop.app/Contents/Resources',
  packaged: true,
  ...extra,
})
const appImage = (
  home: string,
  file = '/home/dba/Apps/sfdbtools-desktop-0.1.0-linux-x86_64.AppImage',
): CliInstallPlatform => ({
  platform: 'linux',
  env: { APPIMAGE: file, PATH: `${home}/.local/bin:/usr/bin` },
  home,
  execPath: '/tmp/.mount_sfdbAb12/sfdbtools-desktop',
  resourcesPath: '/tmp/.mount_sfdbAb12/resources',
  packaged: true,
})

/** A file system in memory, recording each call. */
function memoryFs(
  files: Record<string, string> = {},
): CliInstallFs & { files: Record<string, string>; modes: Record<string, number> } {
  const modes: Record<string, number> = {}
  return {
    files,
    modes,
    mkdir: async () => undefined,
    readText: async (path) => files[path] ?? null,
    writeFile: async (path, data, { mode }) => {
      files[path] = data
      modes[path] = mode
    },
    chmod: async (path, mode) => void (modes[path] = mode),
    rename: async (from, to) => {
      files[to] = files[from] as string
      modes[to] = modes[from] as number
      delete files[from]
    },
  }
}

describe('Install Command Line Tool…', () => {
  it('is offered on macOS and in an AppImage, packaged only; not for deb/rpm installs, Windows or development', () => {
    expect(cliInstallOffered(mac('/Users/dba'))).toBe(true)
    expect(cliInstallOffered(appImage('/home/dba'))).toBe(true)
    expect(cliInstallOffered(mac('/Users/dba', { packaged: false }))).toBe(false)
    expect(cliInstallOffered({ ...appImage('/home/dba'), env: {} })).toBe(false)
    expect(cliInstallOffered({ ...mac('/Users/dba'), platform: 'win32' })).toBe(false)
    expect(
      cliInstallAction({ ...mac('/x'), packaged: false }, memoryFs(), { showMessageBox: async () => 0 }),
    ).toEqual({})
  })

  it('macOS: the app binary as Node on the CLI in the archive, names with spaces quoted', () => {
    expect(cliWrapperScript(mac('/Users/dba'))).toBe(
      [
        '#!/bin/sh',
        CLI_SCRIPT_MARK,
        'ELECTRON_RUN_AS_NODE=1',
        'export ELECTRON_RUN_AS_NODE',
        "exec '/Applications/sfDBTools Desktop.app/Contents/MacOS/sfDBTools Desktop' " +
          '\'/Applications/sfDBTools Desktop.app/Contents/Resources/app.asar/out/main/cli.js\' "$@"',
        '',
      ].join('\n'),
    )
  })

  it('AppImage: starts the AppImage file and finds the CLI beside the binary, wherever it is mounted', () => {
    const script = cliWrapperScript(appImage('/home/dba', "/home/dba/it's here/app.AppImage"))
    expect(script).toContain(`exec '/home/dba/it'\\''s here/app.AppImage' -e '`)
    expect(script).toContain('p.dirname(process.execPath), "resources", "app.asar", "out", "main", "cli.js"')
    expect(script).toContain('process.chdir(process.env.OWD)')
    expect(script).not.toContain('.mount_')
    expect(script.trimEnd().endsWith(`sfdbtools "$@"`)).toBe(true)
  })

  it('the AppImage script runs the CLI with its arguments, from the folder it was typed in (shell + Node here)', async () => {
    // A stand-in "AppImage": Node itself, at <mount>/sfdbtools-desktop, so process.execPath is inside the mount.
    const base = await mkdtemp(join(tmpdir(), 'sfdb-cli-install-'))
    const mount = join(base, 'mount')
    await mkdir(join(mount, 'resources', 'app.asar', 'out', 'main'), { recursive: true })
    await writeFile(
      join(mount, 'resources', 'app.asar', 'out', 'main', 'cli.js'),
      'console.log(JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), asNode: process.env.ELECTRON_RUN_AS_NODE }))\n',
    )
    const fakeAppImage = join(base, 'app.AppImage')
    await writeFile(
      fakeAppImage,
      `#!/bin/sh\ncd /\nexec ${JSON.stringify(join(mount, 'sfdbtools-desktop'))} "$@"\n`,
    )
    await chmod(fakeAppImage, 0o755)
    // process.execPath is the real file's path: a hard link (or a copy) of Node, not a symlink.
    await link(process.execPath, join(mount, 'sfdbtools-desktop')).catch(() =>
      copyFile(process.execPath, join(mount, 'sfdbtools-desktop')),
    )
    const home = join(base, 'home')
    const result = await installCommandLineTool(appImage(home, fakeAppImage), nodeCliInstallFs)
    expect(result.ok, result.message).toBe(true)
    const typedIn = join(base, 'work')
    await mkdir(typedIn)
    const out = await run(result.file, ['verify', 'a file.enc', '--json'], {
      cwd: typedIn,
      env: { ...process.env, OWD: typedIn },
    })
    expect(JSON.parse(out.stdout)).toEqual({
      args: ['verify', 'a file.enc', '--json'],
      cwd: typedIn,
      asNode: '1',
    })
    expect((await stat(result.file)).mode & 0o777).toBe(0o755)
  })

  it('writes ~/.local/bin/sfdbtools (0755, via a temporary name) and says when that folder is not on PATH', async () => {
    const fs = memoryFs()
    const result = await installCommandLineTool(mac('/Users/dba'), fs)
    expect(result).toMatchObject({ ok: true, file: '/Users/dba/.local/bin/sfdbtools' })
    expect(result.message).toContain('is not on your PATH')
    expect(result.message).toContain('export PATH="$HOME/.local/bin:$PATH"')
    expect(Object.keys(fs.files)).toEqual(['/Users/dba/.local/bin/sfdbtools'])
    expect(fs.modes['/Users/dba/.local/bin/sfdbtools']).toBe(0o755)

    const onPath = await installCommandLineTool(appImage('/home/dba'), memoryFs())
    expect(onPath.message).toContain('run `sfdbtools --help` in a new terminal')
    expect(onPath.message).toContain('after moving the AppImage')
  })

  it('rewrites its own script, never a file it did not write; a write error is a message', async () => {
    const file = '/Users/dba/.local/bin/sfdbtools'
    const ours = memoryFs({ [file]: `#!/bin/sh\n${CLI_SCRIPT_MARK}\nexec /old/path "$@"\n` })
    expect((await installCommandLineTool(mac('/Users/dba'), ours)).ok).toBe(true)
    expect(ours.files[file]).toContain('/Applications/sfDBTools Desktop.app')

    const foreign = memoryFs({ [file]: '#!/bin/sh\necho mine\n' })
    const refused = await installCommandLineTool(mac('/Users/dba'), foreign)
    expect(refused).toMatchObject({ ok: false, file })
    expect(refused.message).toContain('was not written by this app')
    expect(foreign.files[file]).toBe('#!/bin/sh\necho mine\n')

    const failing = {
      ...memoryFs(),
      mkdir: async () => Promise.reject(new Error('EACCES: permission denied')),
    }
    const failed = await installCommandLineTool(mac('/Users/dba'), failing)
    expect(failed).toMatchObject({ ok: false })
    expect(failed.message).toContain('EACCES')
  })

  it('the menu action installs and shows the outcome', async () => {
    const shown: unknown[] = []
    const fs = memoryFs()
    const action = cliInstallAction(mac('/Users/dba'), fs, {
      showMessageBox: async (options) => void shown.push(options),
    })
    action.installCommandLine?.()
    await expect.poll(() => shown.length).toBe(1)
    expect(shown[0]).toMatchObject({ type: 'info', message: 'The sfdbtools command is installed' })
  })
})
