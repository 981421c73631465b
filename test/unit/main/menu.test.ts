import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import {
  appMenuTemplate,
  folderActions,
  installAppMenu,
  openFolder,
  type AppMenuOptions,
} from '../../../electron/main/menu.ts'
import { recordingLogger } from './fake-job-child.ts'

const options = (platform: string, development: boolean): AppMenuOptions => ({
  appName: 'sfDBTools Desktop',
  platform,
  development,
  actions: { openWindow: vi.fn(), openLogFolder: vi.fn(), openConfigFolder: vi.fn() },
})

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])])
const tops = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role)

describe('application menu', () => {
  it('File, Edit, View, Window, Help — with the app menu first on macOS', () => {
    expect(tops(appMenuTemplate(options('linux', false)))).toEqual(['File', 'Edit', 'View', 'Window', 'help'])
    expect(tops(appMenuTemplate(options('darwin', false)))).toEqual([
      'sfDBTools Desktop',
      'File',
      'Edit',
      'View',
      'Window',
      'help',
    ])
  })

  it('developer tools and reload only in development', () => {
    expect(roles(appMenuTemplate(options('linux', true)))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']),
    )
    for (const platform of ['linux', 'win32', 'darwin']) {
      const shipped = roles(appMenuTemplate(options(platform, false)))
      expect(shipped).not.toContain('toggleDevTools')
      expect(shipped).not.toContain('reload')
      expect(shipped).not.toContain('forceReload')
    }
  })

  it('copy and paste work in the forms (macOS needs the Edit roles)', () => {
    expect(roles(appMenuTemplate(options('darwin', false)))).toEqual(
      expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit']),
    )
  })

  it('its own items call the actions; installAppMenu sets the built menu', () => {
    const o = options('linux', false)
    const template = appMenuTemplate(o)
    const items = template.flatMap((i) => (Array.isArray(i.submenu) ? i.submenu : []))
    const byLabel = (label: string) => items.find((i) => i.label === label)?.click as () => void
    byLabel('Open Main Window')()
    byLabel('Open Log Folder')()
    byLabel('Open Config Folder')()
    expect(o.actions.openWindow).toHaveBeenCalledOnce()
    expect(o.actions.openLogFolder).toHaveBeenCalledOnce()
    expect(o.actions.openConfigFolder).toHaveBeenCalledOnce()

    const menu = { buildFromTemplate: vi.fn(() => 'built' as never), setApplicationMenu: vi.fn() }
    installAppMenu(o, menu)
    expect(menu.setApplicationMenu).toHaveBeenCalledWith('built')
  })
})

describe('folder items of the menu', () => {
  const shell = () => {
    const made: string[] = []
    const opened: string[] = []
    const { lines, log } = recordingLogger()
    return {
      made,
      opened,
      lines,
      shell: {
        makeDir: async (dir: string) => void made.push(dir),
        openPath: async (dir: string) => {
          opened.push(dir)
          return dir.endsWith('broken') ? 'No application is registered' : ''
        },
        log,
      },
    }
  }

  it('Open Log Folder opens <config dir>/logs through shell.openPath, creating it first', async () => {
    const s = shell()
    const actions = folderActions('/home/u/.config/sfdbtools', s.shell)
    actions.openLogFolder()
    actions.openConfigFolder()
    await vi.waitFor(() => expect(s.opened).toHaveLength(2))
    expect(s.made).toEqual(['/home/u/.config/sfdbtools/logs', '/home/u/.config/sfdbtools'])
    expect(s.opened).toEqual(['/home/u/.config/sfdbtools/logs', '/home/u/.config/sfdbtools'])
    expect(s.lines).toEqual([])
  })

  it('a folder that does not open is logged, not thrown', async () => {
    const s = shell()
    await openFolder('/x/broken', s.shell)
    await openFolder('/x/other', { ...s.shell, makeDir: async () => Promise.reject(new Error('EACCES')) })
    expect(s.lines).toEqual([
      'WARN cannot open /x/broken: No application is registered',
      'ERROR cannot open /x/other: Error: EACCES',
    ])
  })
})
